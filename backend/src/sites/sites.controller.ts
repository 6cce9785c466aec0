import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AlertRecord, SiteKind } from '@tidewatch/contracts';
import { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { RequireRole } from '../auth/roles.js';
import { Audited } from '../common/audited.js';
import { kindQuery, queryEndTime, queryInt, queryTime, siteCreateSchema, siteIdParam, sitePatchSchema } from '../common/http-schemas.js';
import { BUCKETS, type SeriesPoint } from './series.repository.js';
import type { SiteDetail } from './sites.repository.js';
import { SitesService } from './sites.service.js';

const seriesQuery = z
  .object({
    metric: z.string().min(1).max(64),
    from: queryTime.optional(),
    to: queryEndTime.optional(),
    bucket: z.enum(BUCKETS).default('raw'),
  })
  .strict();

const eventsQuery = z
  .object({
    from: queryTime.optional(),
    to: queryEndTime.optional(),
    type: z.string().max(32).optional(),
    limit: queryInt(1, 5000, 500),
  })
  .strict();

@ApiTags('sites')
@ApiBearerAuth()
@Controller('api/sites')
export class SitesController {
  constructor(@Inject(SitesService) private readonly sites: SitesService) {}

  @Get()
  list(@Query({ schema: kindQuery }) q: z.infer<typeof kindQuery>, @Req() req: AuthedRequest): Promise<SiteDetail[]> {
    return this.sites.list(q.kind as SiteKind | undefined, req.user?.role);
  }

  @Get(':id')
  get(@Param('id', { schema: siteIdParam }) id: string, @Req() req: AuthedRequest): Promise<SiteDetail & { open_alerts: AlertRecord[] }> {
    return this.sites.get(id, req.user?.role);
  }

  @Get(':id/series')
  series(@Param('id', { schema: siteIdParam }) id: string, @Query({ schema: seriesQuery }) q: z.infer<typeof seriesQuery>): Promise<SeriesPoint[]> {
    return this.sites.series(id, q.metric, q, q.bucket);
  }

  @Get(':id/events')
  events(@Param('id', { schema: siteIdParam }) id: string, @Query({ schema: eventsQuery }) q: z.infer<typeof eventsQuery>): Promise<unknown[]> {
    return this.sites.events(id, q, q.type, q.limit);
  }

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
