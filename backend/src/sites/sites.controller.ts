import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AlertRecord, DayCompleteness, SiteKind } from '@tidewatch/contracts';
import type { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { kindQuery, siteIdParam } from '../common/http-schemas.js';
import type { SeriesPoint } from './series.repository.js';
import { CompletenessService } from './completeness.service.js';
import { completenessQuery, eventsQuery, seriesQuery } from './site.schemas.js';
import type { SiteDetail } from './sites.repository.js';
import { SitesService } from './sites.service.js';

@ApiTags('sites')
@ApiBearerAuth()
@Controller('api/sites')
export class SitesController {
  constructor(
    @Inject(SitesService) private readonly sites: SitesService,
    @Inject(CompletenessService) private readonly completeness: CompletenessService,
  ) {}

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

  @Get(':id/completeness')
  days(@Param('id', { schema: siteIdParam }) id: string, @Query({ schema: completenessQuery }) q: z.infer<typeof completenessQuery>): Promise<DayCompleteness[]> {
    return this.completeness.ofSite(id, q.from, q.to);
  }
}
