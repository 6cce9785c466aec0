import { countableValues, metricById, type AbnormalFlag, type LatestValue, type SiteIndicator, type SiteSnapshot } from '@tidewatch/contracts';
import type { BatchResult } from '../ingest/batch.repository.js';
import { siteInterval } from '../sites/site-meta.js';
import type { SiteMeta, SiteRegistry } from '../sites/site-registry.js';
import type { SitesRepository } from '../sites/sites.repository.js';
import { publicParams } from '../sites/public-params.js';
import { livenessStatus, statusFromAlerts } from '../sites/site-status.js';

interface SiteLive {
  online: boolean;
  statusAtMs: number | null;
  lastSeenMs: number | null;
  /** The newest value per metric; `flag` when that value is flagged (shown, never counted). */
  latest: Map<number, { timeMs: number; value: number; flag?: AbnormalFlag }>;
}

/**
 * Newest values and liveness of every site, kept from committed batches, so that the live
 * push never queries the database per update.
 */
export class LiveState {
  private readonly bySite = new Map<number, SiteLive>();

  constructor(
    private readonly registry: SiteRegistry,
    private readonly indicatorFor: (site: SiteMeta, latest: Record<string, LatestValue>) => SiteIndicator | null = () => null,
    /** The most severe open alert of a site (kept by the alert engine). */
    private readonly alertLevels: { openSeverity(siteKey: number): string | null } = { openSeverity: () => null },
  ) {}

  async load(sites: Pick<SitesRepository, 'liveness' | 'latestReadings' | 'latestFlagged'>): Promise<void> {
    for (const s of await sites.liveness()) {
      this.bySite.set(s.key, {
        online: s.online,
        statusAtMs: s.status_at?.getTime() ?? null,
        lastSeenMs: s.last_seen?.getTime() ?? null,
        latest: new Map(),
      });
    }
    for (const r of await sites.latestReadings()) this.entry(r.site_key).latest.set(r.metric_id, { timeMs: r.time.getTime(), value: r.value });
    for (const r of await sites.latestFlagged()) this.setNewest(r.site_key, r.metric_id, { timeMs: r.time.getTime(), value: r.value, flag: r.flag });
  }

  private setNewest(siteKey: number, metricId: number, v: { timeMs: number; value: number; flag?: AbnormalFlag }): void {
    const latest = this.entry(siteKey).latest;
    const cur = latest.get(metricId);
    if (!cur || cur.timeMs <= v.timeMs) latest.set(metricId, v);
  }

  private entry(siteKey: number): SiteLive {
    let e = this.bySite.get(siteKey);
    if (!e) this.bySite.set(siteKey, (e = { online: false, statusAtMs: null, lastSeenMs: null, latest: new Map() }));
    return e;
  }

  /** Applies a committed batch; returns the keys of the sites it changed. */
  apply(result: BatchResult): Set<number> {
    const changed = new Set<number>();
    for (const l of result.latest) {
      this.setNewest(l.siteKey, l.metricId, { timeMs: l.timeMs, value: l.value });
      changed.add(l.siteKey);
    }
    for (const f of result.flaggedLatest) {
      this.setNewest(f.siteKey, f.metricId, { timeMs: f.timeMs, value: f.value, flag: f.flag });
      changed.add(f.siteKey);
    }
    for (const s of result.sites) {
      const e = this.entry(s.siteKey);
      e.online = s.online;
      e.statusAtMs = s.statusAtMs;
      e.lastSeenMs = s.lastSeenMs;
      changed.add(s.siteKey);
    }
    return changed;
  }

  lastSeenMs(siteKey: number): number | null {
    return this.bySite.get(siteKey)?.lastSeenMs ?? null;
  }

  /** The newest values of a site, by metric name. */
  latestOf(site: SiteMeta): Record<string, LatestValue> {
    const latest: Record<string, LatestValue> = {};
    for (const [metricId, v] of this.entry(site.key).latest) {
      const def = metricById(metricId);
      if (def) latest[def.name] = { value: v.value, t: new Date(v.timeMs).toISOString(), ...(v.flag ? { flag: v.flag } : {}) };
    }
    return latest;
  }

  /** The newest values that count (no data flag): what indicators and alert figures use. */
  countableOf(site: SiteMeta): Record<string, LatestValue> {
    return countableValues(this.latestOf(site));
  }

  snapshot(site: SiteMeta, nowMs: number): SiteSnapshot {
    const e = this.entry(site.key);
    const latest = this.latestOf(site);
    const live = livenessStatus({ intervalS: siteInterval(site).seconds, ...e }, nowMs);
    return {
      id: site.id,
      kind: site.kind,
      name_zh: site.name_zh,
      name_en: site.name_en,
      lat: site.lat,
      lon: site.lon,
      status: live === 'offline' ? 'offline' : statusFromAlerts(this.alertLevels.openSeverity(site.key)),
      online: e.online,
      last_seen: e.lastSeenMs === null ? null : new Date(e.lastSeenMs).toISOString(),
      latest,
      indicator: this.indicatorFor(site, countableValues(latest)),
      // One snapshot goes to every watcher, whatever their role: admins read the rest over HTTP.
      params: publicParams(site.params, undefined),
    };
  }

  snapshotAll(nowMs: number): SiteSnapshot[] {
    return this.registry.all().map((s) => this.snapshot(s, nowMs));
  }
}
