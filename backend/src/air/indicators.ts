import { metricFor, type LatestValue, type ServerToClientEvents, type SiteIndicator } from '@tidewatch/contracts';
import type { Logger } from '../logging/logger.js';
import type { RollupsRepository } from '../sites/rollups.repository.js';
import type { SiteMeta, SiteRegistry } from '../sites/site-registry.js';
import { effluentCompliance, gradeOfRoman, riverClass, seawaterClass } from '../standards/water.js';
import type { AqiService, LatestAqi } from './aqi.service.js';

const REFRESH_MS = 60_000;
/** After new air or plant data, recompute at most this often. */
const NUDGE_MS = 5_000;
const WWTP_METRICS = ['cod_mgl', 'nh3n_mgl', 'tn_mgl', 'tp_mgl', 'ss_mgl', 'ph', 'water_temp_c'];

type AqiListener = (aqi: Parameters<ServerToClientEvents['aqi']>[0]) => void;

/**
 * What the standards say of each site now: the hourly AQI of air stations, the water class
 * of river and sea points (from their newest values), the plant's compliance over the last
 * 24 hours. Air and effluent figures are refreshed every minute from the hourly rollup; a
 * change of the hourly AQI is announced to listeners (the `aqi` socket event).
 */
export class IndicatorService {
  private latestAqi: LatestAqi | null = null;
  private readonly effluent = new Map<number, SiteIndicator>();
  private listeners: AqiListener[] = [];
  private timer: NodeJS.Timeout | null = null;
  private nudged: NodeJS.Timeout | null = null;

  constructor(
    private readonly rollups: RollupsRepository,
    private readonly registry: SiteRegistry,
    private readonly aqi: AqiService,
    private readonly log: Logger,
  ) {}

  onAqiChange(listener: AqiListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  get currentAqi(): LatestAqi | null {
    return this.latestAqi;
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.log.warn({ err: String(err) }, 'indicator refresh failed'));
    }, REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.nudged) clearTimeout(this.nudged);
  }

  /** New data arrived for these sites: recompute soon if any is an air station or a plant. */
  nudge(siteKeys: Iterable<number>): void {
    if (this.nudged) return;
    for (const key of siteKeys) {
      const kind = this.registry.byKey(key)?.kind;
      if (kind === 'air' || kind === 'wwtp') {
        this.nudged = setTimeout(() => {
          this.nudged = null;
          this.refresh().catch((err: unknown) => this.log.warn({ err: String(err) }, 'indicator refresh failed'));
        }, NUDGE_MS);
        this.nudged.unref();
        return;
      }
    }
  }

  async refresh(nowMs = Date.now()): Promise<void> {
    const next = await this.aqi.latest(nowMs);
    const key = (a: LatestAqi | null): string => JSON.stringify(a && { h: a.hour, d: a.district.aqi, s: a.stations.map((s) => [s.site, s.aqi]) });
    const changed = key(next) !== key(this.latestAqi);
    this.latestAqi = next;
    if (changed) for (const l of this.listeners) l(next);
    await this.refreshEffluent(nowMs);
  }

  private async refreshEffluent(nowMs: number): Promise<void> {
    const plants = this.registry.ofKind('wwtp');
    if (plants.length === 0) return;
    const ids = WWTP_METRICS.map((m) => metricFor('wwtp', m)!.id);
    const rows = await this.rollups.meansSince(plants.map((p) => p.key), ids, nowMs - 24 * 3_600_000);
    for (const plant of plants) {
      const means: Record<string, number> = {};
      for (const r of rows.filter((x) => x.site_key === plant.key)) {
        const name = WWTP_METRICS.find((m) => metricFor('wwtp', m)!.id === r.metric_id);
        if (name) means[name] = r.mean;
      }
      if (Object.keys(means).length === 0) {
        this.effluent.delete(plant.key);
        continue;
      }
      const check = effluentCompliance(means, plant.params.built_after_2006 !== false);
      this.effluent.set(plant.key, { type: 'effluent', standard: 'GB 18918-2002 1A', basis: 'last 24 h means', compliant: check.compliant, exceedances: check.exceedances });
    }
  }

  /** The derived values alert rules read: hourly AQI, water grade over target, effluent exceedances. */
  derivedFor(site: SiteMeta, latest: Record<string, LatestValue>): Record<string, number | null> {
    const ind = this.indicatorFor(site, latest);
    switch (ind?.type) {
      case 'aqi':
        return { hourly_aqi: ind.aqi };
      case 'effluent':
        return { effluent_exceedances: ind.exceedances.length };
      case 'water_class': {
        const target = ind.target ? gradeOfRoman(ind.target) : null;
        return { water_grade_over_target: target === null ? null : ind.grade - target };
      }
      default:
        return { hourly_aqi: null, effluent_exceedances: null, water_grade_over_target: null };
    }
  }

  /** The indicator of a site, from the caches (air, plant) or its newest values (water). */
  indicatorFor(site: SiteMeta, latest: Record<string, LatestValue>): SiteIndicator | null {
    const values = Object.fromEntries(Object.entries(latest).map(([k, v]) => [k, v.value]));
    switch (site.kind) {
      case 'air': {
        const a = this.latestAqi?.stations.find((s) => s.site === site.id);
        if (!a || !this.latestAqi) return null;
        const c = a.category;
        return { type: 'aqi', hour: this.latestAqi.hour, aqi: a.aqi, category: c && { zh: c.zh, en: c.en, colour: c.colour, level: c.level }, primary: a.primary };
      }
      case 'wwtp':
        return this.effluent.get(site.key) ?? null;
      case 'river':
      case 'seawater': {
        const c = site.kind === 'river' ? riverClass(values) : seawaterClass(values);
        if (!c) return null;
        const target = typeof site.params.target_class === 'string' ? site.params.target_class : null;
        const targetGrade = target ? gradeOfRoman(target) : null;
        return {
          type: 'water_class',
          standard: site.kind === 'river' ? 'GB 3838-2002' : 'GB 3097-1997',
          grade: c.grade,
          roman: c.roman,
          zh: c.zh,
          en: c.en,
          target,
          meets_target: targetGrade === null ? null : c.grade <= targetGrade,
        };
      }
      default:
        return null;
    }
  }
}
