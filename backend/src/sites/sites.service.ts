import { countableValues, metricFor, NOMINAL_INTERVAL_S, type AlertRecord, type LatestValue, type SiteIndicator, type SiteKind } from '@tidewatch/contracts';
import type { Role } from '../auth/roles.js';
import { InvalidRequestError, NotFoundError } from '../common/domain-errors.js';
import type { DeviceCredentials } from './device-credentials.js';
import { publicParams } from './public-params.js';
import { BUCKET_MS, MAX_POINTS, type Bucket, type SeriesPoint, type SeriesRepository } from './series.repository.js';
import type { SiteMeta } from './site-meta.js';
import type { SiteRegistry } from './site-registry.js';
import type { SiteDetail, SiteInput, SitePatch, SitesRepository } from './sites.repository.js';

/** What the standards say of a site now (AQI, water class, effluent compliance); provided by air/. */
export interface SiteIndicators {
  indicatorFor(site: SiteMeta, latest: Record<string, LatestValue>): SiteIndicator | null;
}

/** A site's open alerts; provided by alerts/. */
export interface OpenAlerts {
  list(f: { state: 'open'; site: string; limit: number }): Promise<AlertRecord[]>;
}

export interface TimeRange {
  from?: Date;
  to?: Date;
}

const DAY_MS = 86_400_000;

/** Sites for people: read with what the caller's role may see, managed by admins, with the registry kept in step. */
export class SitesService {
  constructor(
    private readonly sites: SitesRepository,
    private readonly seriesRepo: SeriesRepository,
    private readonly registry: SiteRegistry,
    private readonly credentials: DeviceCredentials,
    private readonly indicators: SiteIndicators,
    private readonly alerts: OpenAlerts,
  ) {}

  /** Re-reads the active sites into the in-memory registry (after a change, and periodically for other hubs). */
  reload(): Promise<void> {
    return this.registry.load(this.sites);
  }

  async list(kind: SiteKind | undefined, role: Role | undefined): Promise<SiteDetail[]> {
    return (await this.sites.list(kind)).map((s) => this.forRole(s, role));
  }

  async get(id: string, role: Role | undefined): Promise<SiteDetail & { open_alerts: AlertRecord[] }> {
    const site = await this.sites.get(id);
    if (!site) throw new NotFoundError(`no site ${id}`);
    return { ...this.forRole(site, role), open_alerts: await this.alerts.list({ state: 'open', site: id, limit: 100 }) };
  }

  async series(id: string, metric: string, range: TimeRange, bucket: Bucket): Promise<SeriesPoint[]> {
    const site = this.active(id);
    const def = metricFor(site.kind, metric);
    if (!def) throw new InvalidRequestError(`${metric} is not a metric of ${site.kind}`);
    const { from, to } = bounded(range, DAY_MS);
    if (bucket !== 'raw' && (to.getTime() - from.getTime()) / BUCKET_MS[bucket] > MAX_POINTS) {
      throw new InvalidRequestError(`more than ${MAX_POINTS} ${bucket} buckets; choose a coarser bucket or a shorter range`);
    }
    const [points, flagged] = await Promise.all([this.seriesRepo.series(site.key, def.id, from, to, bucket), this.seriesRepo.flagged(site.key, def.id, from, to)]);
    // Flagged values beside the normal points, in time order (docs/contract.md §4.3).
    return flagged.length === 0 ? points : [...points, ...flagged].sort((a, b) => Date.parse(a.t) - Date.parse(b.t));
  }

  async events(id: string, range: TimeRange, type: string | undefined, limit: number): Promise<unknown[]> {
    const site = this.active(id);
    const { from, to } = bounded(range, 30 * DAY_MS);
    return this.seriesRepo.events(site.key, from, to, type, limit);
  }

  async create(input: SiteInput): Promise<SiteDetail> {
    await this.sites.create(input);
    await this.reload();
    return (await this.sites.get(input.id))!;
  }

  async update(id: string, patch: SitePatch): Promise<SiteDetail> {
    const site = this.registry.lookup(id);
    if (!site || !(await this.sites.update(id, patch, NOMINAL_INTERVAL_S[site.kind]))) throw new NotFoundError(`no site ${id}`);
    await this.reload();
    return (await this.sites.get(id))!;
  }

  /** Retires a site: it stops taking data, and its device credential is revoked (its devices are disconnected). */
  async retire(id: string): Promise<void> {
    if (!(await this.sites.retire(id))) throw new NotFoundError(`no site ${id}`);
    await this.credentials.revoke(id);
    await this.reload();
  }

  /** Issues the site's device credential, replacing (rotating) any earlier one. */
  async issueCredential(id: string): Promise<{ username: string; password: string }> {
    const creds = await this.credentials.issue(id);
    if (!creds) throw new NotFoundError(`no site ${id}`);
    return creds;
  }

  async revokeCredential(id: string): Promise<void> {
    if (!(await this.credentials.revoke(id))) throw new NotFoundError(`no site ${id}`);
  }

  private active(id: string): SiteMeta {
    const site = this.registry.lookup(id);
    if (!site) throw new NotFoundError(`no site ${id}`);
    return site;
  }

  private forRole<T extends SiteDetail>(site: T, role: Role | undefined): T {
    const meta = this.registry.lookup(site.id);
    return { ...site, params: publicParams(site.params, role), indicator: meta ? this.indicators.indicatorFor(meta, countableValues(site.latest)) : null };
  }
}

function bounded(range: TimeRange, defaultSpanMs: number): { from: Date; to: Date } {
  const to = range.to ?? new Date();
  const from = range.from ?? new Date(to.getTime() - defaultSpanMs);
  if (from >= to) throw new InvalidRequestError('from must be before to');
  return { from, to };
}
