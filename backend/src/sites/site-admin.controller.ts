import { Body, Controller, Delete, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { SiteKind } from '@tidewatch/contracts';
import type { z } from 'zod';
import { RequireRole } from '../auth/roles.js';
import { Audited } from '../common/audited.js';
import { siteCreateSchema, siteIdParam, sitePatchSchema } from '../common/http-schemas.js';
import type { SiteDetail } from './sites.repository.js';
import { SitesService } from './sites.service.js';

/** Adding, changing and retiring sites, and their device credentials (admins). */
@ApiTags('sites')
@ApiBearerAuth()
@Controller('api/sites')
export class SiteAdminController {
  constructor(@Inject(SitesService) private readonly sites: SitesService) {}

  @Post()
  @Audited('site.create')
  @RequireRole('admin')
  create(@Body({ schema: siteCreateSchema }) body: z.infer<typeof siteCreateSchema>): Promise<SiteDetail> {
    return this.sites.create({ ...body, kind: body.kind as SiteKind });
  }

  @Put(':id')
  @Audited('site.update')
  @RequireRole('admin')
  update(@Param('id', { schema: siteIdParam }) id: string, @Body({ schema: sitePatchSchema }) body: z.infer<typeof sitePatchSchema>): Promise<SiteDetail> {
    return this.sites.update(id, body);
  }

  @Delete(':id')
  @Audited('site.retire')
  @RequireRole('admin')
  @HttpCode(204)
  retire(@Param('id', { schema: siteIdParam }) id: string): Promise<void> {
    return this.sites.retire(id);
  }

  /** Issues the site's device credential, replacing (rotating) any earlier one: its devices are disconnected. */
  @Post(':id/credentials')
  @Audited('credential.issue')
  @RequireRole('admin')
  issueCredentials(@Param('id', { schema: siteIdParam }) id: string): Promise<{ username: string; password: string }> {
    return this.sites.issueCredential(id);
  }

  /** Revokes the site's device credential; its devices are disconnected at once. */
  @Delete(':id/credentials')
  @Audited('credential.revoke')
  @RequireRole('admin')
  @HttpCode(204)
  revokeCredentials(@Param('id', { schema: siteIdParam }) id: string): Promise<void> {
    return this.sites.revokeCredential(id);
  }
}
