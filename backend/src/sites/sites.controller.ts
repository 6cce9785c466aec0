import { Audited } from '../common/audited.js';
import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
  Req,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { metricFor, type SiteKind } from '@tidewatch/contracts';
import { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { RequireRole } from '../auth/roles.js';
import { kindQuery, queryInt, queryTime, siteCreateSchema, siteIdParam, sitePatchSchema } from '../common/http-schemas.js';
import { IndicatorService } from '../air/indicators.js';
import { AlertStore, type AlertRecord } from '../alerts/alerts.repository.js';
import { DeviceCredentials } from './device-credentials.js';
import { publicParams } from './public-params.js';
import { BUCKET_MS, BUCKETS, MAX_POINTS, SeriesRepository, type SeriesPoint } from './series.repository.js';
import { SiteRegistry } from './site-registry.js';
import { SiteExistsError, SitesRepository, type SiteDetail } from './sites.repository.js';

const seriesQuery = z
  .object({
    metric: z.string().min(1).max(64),
    from: queryTime.optional(),
    to: queryTime.optional(),
    bucket: z.enum(BUCKETS).default('raw'),
  })
  .strict();

const eventsQuery = z
  .object({
    from: queryTime.optional(),
    to: queryTime.optional(),
    type: z.string().max(32).optional(),
    limit: queryInt(1, 5000, 500),
  })
  .strict();

const DAY_MS = 86_400_000;

function range(from: Date | undefined, to: Date | undefined, defaultSpanMs: number): { from: Date; to: Date } {
  const end = to ?? new Date();
  const start = from ?? new Date(end.getTime() - defaultSpanMs);
  if (start >= end) throw new BadRequestException('from must be before to');
  return { from: start, to: end };
}

@ApiTags('sites')
@ApiBearerAuth()
@Controller('api/sites')
export class SitesController {
  constructor(
    @Inject(SitesRepository) private readonly sites: SitesRepository,
    @Inject(SeriesRepository) private readonly seriesRepo: SeriesRepository,
    @Inject(SiteRegistry) private readonly registry: SiteRegistry,
    @Inject(DeviceCredentials) private readonly credentials: DeviceCredentials,
    @Inject('RELOAD_SITES') private readonly reloadSites: () => Promise<void>,
    @Inject(IndicatorService) private readonly indicators: IndicatorService,
    @Inject(AlertStore) private readonly alerts: AlertStore,
  ) {}

  /**
   * Adds what the standards say of the site now (AQI, water class or effluent compliance);
   * keeps the parameters the caller's role may see.
   */
  private forCaller<T extends SiteDetail>(site: T, req: AuthedRequest): T {
    const meta = this.registry.lookup(site.id);
    return { ...site, params: publicParams(site.params, req.user?.role), indicator: meta ? this.indicators.indicatorFor(meta, site.latest) : null };
  }

  @Get()
  async list(@Query({ schema: kindQuery }) q: z.infer<typeof kindQuery>, @Req() req: AuthedRequest): Promise<SiteDetail[]> {
    return (await this.sites.list(q.kind as SiteKind | undefined)).map((s) => this.forCaller(s, req));
  }

  @Get(':id')
  async get(@Param('id', { schema: siteIdParam }) id: string, @Req() req: AuthedRequest): Promise<SiteDetail & { open_alerts: AlertRecord[] }> {
    const site = await this.sites.get(id);
    if (!site) throw new NotFoundException(`no site ${id}`);
    return { ...this.forCaller(site, req), open_alerts: await this.alerts.list({ state: 'open', site: id, limit: 100 }) };
  }

  @Get(':id/series')
  async series(
    @Param('id', { schema: siteIdParam }) id: string,
    @Query({ schema: seriesQuery }) q: z.infer<typeof seriesQuery>,
  ): Promise<SeriesPoint[]> {
    const site = this.registry.lookup(id);
    if (!site) throw new NotFoundException(`no site ${id}`);
    const def = metricFor(site.kind, q.metric);
    if (!def) throw new BadRequestException(`${q.metric} is not a metric of ${site.kind}`);
    const { from, to } = range(q.from, q.to, DAY_MS);
    if (q.bucket !== 'raw' && (to.getTime() - from.getTime()) / BUCKET_MS[q.bucket] > MAX_POINTS) {
      throw new BadRequestException(`more than ${MAX_POINTS} ${q.bucket} buckets; choose a coarser bucket or a shorter range`);
    }
    return this.seriesRepo.series(site.key, def.id, from, to, q.bucket);
  }

  @Get(':id/events')
  async events(
    @Param('id', { schema: siteIdParam }) id: string,
    @Query({ schema: eventsQuery }) q: z.infer<typeof eventsQuery>,
  ): Promise<unknown[]> {
    const site = this.registry.lookup(id);
    if (!site) throw new NotFoundException(`no site ${id}`);
    const { from, to } = range(q.from, q.to, 30 * DAY_MS);
    return this.seriesRepo.events(site.key, from, to, q.type, q.limit);
  }

  @Post()
  @Audited('site.create')
  @RequireRole('admin')
  async create(@Body({ schema: siteCreateSchema }) body: z.infer<typeof siteCreateSchema>): Promise<SiteDetail> {
    try {
      await this.sites.create({ ...body, kind: body.kind as SiteKind });
    } catch (err) {
      if (err instanceof SiteExistsError) throw new ConflictException(err.message);
      throw err;
    }
    await this.reloadSites();
    return (await this.sites.get(body.id))!;
  }

  @Put(':id')
  @Audited('site.update')
  @RequireRole('admin')
  async update(
    @Param('id', { schema: siteIdParam }) id: string,
    @Body({ schema: sitePatchSchema }) body: z.infer<typeof sitePatchSchema>,
  ): Promise<SiteDetail> {
    if (!(await this.sites.update(id, body))) throw new NotFoundException(`no site ${id}`);
    await this.reloadSites();
    return (await this.sites.get(id))!;
  }

  @Delete(':id')
  @Audited('site.retire')
  @RequireRole('admin')
  @HttpCode(204)
  async retire(@Param('id', { schema: siteIdParam }) id: string): Promise<void> {
    if (!(await this.sites.retire(id))) throw new NotFoundException(`no site ${id}`);
    await this.credentials.revoke(id);
    await this.reloadSites();
  }

  /** Issues the site's device credential, replacing (rotating) any earlier one: its devices are disconnected. */
  @Post(':id/credentials')
  @Audited('credential.issue')
  @RequireRole('admin')
  async issueCredentials(@Param('id', { schema: siteIdParam }) id: string): Promise<{ username: string; password: string }> {
    const creds = await this.credentials.issue(id);
    if (!creds) throw new NotFoundException(`no site ${id}`);
    return creds;
  }

  /** Revokes the site's device credential; its devices are disconnected at once. */
  @Delete(':id/credentials')
  @Audited('credential.revoke')
  @RequireRole('admin')
  @HttpCode(204)
  async revokeCredentials(@Param('id', { schema: siteIdParam }) id: string): Promise<void> {
    if (!(await this.credentials.revoke(id))) throw new NotFoundException(`no site ${id}`);
  }
}
