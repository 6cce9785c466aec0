import { metricById, type AbnormalFlag, type LatestValue, type ReportingInterval, type SiteKind, type SiteSnapshot } from '@tidewatch/contracts';
import type pg from 'pg';
import { livenessStatus, statusFromAlerts } from './site-status.js';
import { ConflictError } from '../common/domain-errors.js';
import { isoUtc } from '../common/sql.js';
import { siteInterval, type SiteMeta } from './site-meta.js';

export interface SiteInput {
  id: string;
  kind: SiteKind;
  name_zh: string;
  name_en: string;
  lat: number;
  lon: number;
  params: Record<string, unknown>;
  reporting_interval_s?: number | null;
}

/** `reporting_interval_s`: null returns the site to its learned interval. */
export type SitePatch = Partial<Omit<SiteInput, 'id' | 'kind'>>;

export interface SiteDetail extends SiteSnapshot {
  params: Record<string, unknown>;
  /** How often the site reports, and whether an admin set it, the hub learned it, or it is the kind's nominal interval. */
  reporting_interval: ReportingInterval;
}

interface SiteRow {
  id: string;
  kind: SiteKind;
  name_zh: string;
  name_en: string;
  lat: number;
  lon: number;
  params: Record<string, unknown>;
  reporting_interval_s: number | null;
  learned_interval_s: number | null;
  online: boolean;
  status_at: Date | null;
  last_seen: Date | null;
  latest: [number, string, number][] | null;
  flagged: [number, string, number, AbnormalFlag][] | null;
  worst_alert: string | null;
}

/** Sites with their newest values, in one query (no per-site round trips). */
const SITES_SQL = `
SELECT s.id, s.kind, s.name_zh, s.name_en, s.lat, s.lon, s.params, s.reporting_interval_s, s.learned_interval_s, s.online, s.status_at, s.last_seen,
  (SELECT json_agg(json_build_array(l.metric_id, ${isoUtc('l.time')}, l.value))
     FROM reading_latest l WHERE l.site_key = s.key) AS latest,
  (SELECT json_agg(json_build_array(f.metric_id, ${isoUtc('f.time')}, f.value, f.flag))
     FROM reading_flagged_latest f WHERE f.site_key = s.key) AS flagged,
  (SELECT a.severity FROM alert a WHERE a.site_key = s.key AND a.state <> 'resolved'
     ORDER BY array_position(ARRAY['critical', 'major', 'minor', 'warning'], a.severity) LIMIT 1) AS worst_alert
FROM site s
WHERE s.retired_at IS NULL AND ($1::text IS NULL OR s.kind = $1) AND ($2::text IS NULL OR s.id = $2)
ORDER BY s.kind, s.id`;

function toDetail(r: SiteRow, nowMs: number): SiteDetail {
  const latest: Record<string, LatestValue> = {};
  for (const [metricId, t, value] of r.latest ?? []) {
    const def = metricById(metricId);
    if (def) latest[def.name] = { value, t };
  }
  // A metric whose newest value is flagged shows that value with its flag.
  for (const [metricId, t, value, flag] of r.flagged ?? []) {
    const def = metricById(metricId);
    const normal = def && latest[def.name];
    if (def && (!normal || Date.parse(normal.t) <= Date.parse(t))) latest[def.name] = { value, t, flag };
  }
  const lastSeenMs = r.last_seen?.getTime() ?? null;
  const interval = siteInterval(r);
  return {
    id: r.id,
    kind: r.kind,
    name_zh: r.name_zh,
    name_en: r.name_en,
    lat: r.lat,
    lon: r.lon,
    status: ((live) => (live === 'offline' ? live : statusFromAlerts(r.worst_alert)))(
      livenessStatus({ intervalS: interval.seconds, online: r.online, statusAtMs: r.status_at?.getTime() ?? null, lastSeenMs }, nowMs),
    ),
    online: r.online,
    last_seen: r.last_seen?.toISOString() ?? null,
    latest,
    params: r.params,
    reporting_interval: interval,
  };
}

export class SiteExistsError extends ConflictError {}

export class SitesRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** The active sites, by id. */
  async active(): Promise<SiteMeta[]> {
    const { rows } = await this.pool.query<SiteMeta>(
      `SELECT key, id, kind, name_zh, name_en, lat, lon, params, reporting_interval_s, learned_interval_s FROM site WHERE retired_at IS NULL ORDER BY id`,
    );
    return rows;
  }

  /** Liveness of the active sites as last stored. */
  async liveness(): Promise<{ key: number; online: boolean; status_at: Date | null; last_seen: Date | null }[]> {
    const { rows } = await this.pool.query<{ key: number; online: boolean; status_at: Date | null; last_seen: Date | null }>(
      `SELECT key, online, status_at, last_seen FROM site WHERE retired_at IS NULL`,
    );
    return rows;
  }

  /** The newest value of every site's metrics. */
  async latestReadings(): Promise<{ site_key: number; metric_id: number; time: Date; value: number }[]> {
    const { rows } = await this.pool.query<{ site_key: number; metric_id: number; time: Date; value: number }>(
      `SELECT site_key, metric_id, time, value FROM reading_latest`,
    );
    return rows;
  }

  /** The newest flagged value of every site's metrics (docs/contract.md §2.2). */
  async latestFlagged(): Promise<{ site_key: number; metric_id: number; time: Date; value: number; flag: AbnormalFlag }[]> {
    const { rows } = await this.pool.query<{ site_key: number; metric_id: number; time: Date; value: number; flag: AbnormalFlag }>(
      `SELECT site_key, metric_id, time, value, flag FROM reading_flagged_latest`,
    );
    return rows;
  }

  async list(kind?: SiteKind): Promise<SiteDetail[]> {
    const { rows } = await this.pool.query<SiteRow>({ name: 'tidewatch-sites', text: SITES_SQL, values: [kind ?? null, null] });
    const now = Date.now();
    return rows.map((r) => toDetail(r, now));
  }

  async get(id: string): Promise<SiteDetail | null> {
    const { rows } = await this.pool.query<SiteRow>({ name: 'tidewatch-sites', text: SITES_SQL, values: [null, id] });
    return rows[0] ? toDetail(rows[0], Date.now()) : null;
  }

  /** The storage key of an active site. */
  async keyOf(id: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ key: number }>('SELECT key FROM site WHERE id = $1 AND retired_at IS NULL', [id]);
    return rows[0]?.key ?? null;
  }

  async create(s: SiteInput): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO site (id, kind, name_zh, name_en, lat, lon, params, reporting_interval_s) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [s.id, s.kind, s.name_zh, s.name_en, s.lat, s.lon, JSON.stringify(s.params), s.reporting_interval_s ?? null],
      );
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new SiteExistsError(`site ${s.id} exists (ids of retired sites are not reused)`);
      throw err;
    }
  }

  /**
   * Changes an active site; false when there is none. A new reporting interval re-judges the
   * site's stored hours at once: each reading that declared no period now stands for it.
   */
  async update(id: string, p: SitePatch, nominalS: number): Promise<boolean> {
    const intervalGiven = p.reporting_interval_s !== undefined;
    const { rows } = await this.pool.query<{ key: number }>(
      `WITH s AS (
         UPDATE site SET name_zh = coalesce($2, name_zh), name_en = coalesce($3, name_en), lat = coalesce($4, lat),
           lon = coalesce($5, lon), params = coalesce($6::jsonb, params),
           reporting_interval_s = CASE WHEN $7 THEN $8::int ELSE reporting_interval_s END, updated_at = now()
         WHERE id = $1 AND retired_at IS NULL
         RETURNING key, coalesce(reporting_interval_s, learned_interval_s, $9::int) AS interval_s
       ),
       h AS (
         UPDATE reading_hourly r SET assumed_s = (r.n - r.n_declared) * least(3600, s.interval_s)
         FROM s WHERE $7 AND r.site_key = s.key
       )
       SELECT key FROM s`,
      [id, p.name_zh ?? null, p.name_en ?? null, p.lat ?? null, p.lon ?? null, p.params ? JSON.stringify(p.params) : null, intervalGiven, p.reporting_interval_s ?? null, nominalS],
    );
    return rows.length > 0;
  }

  /** Stores the intervals the hub learned from the sites' readings (one statement). */
  async saveLearnedIntervals(changes: readonly { siteKey: number; intervalS: number }[]): Promise<void> {
    if (changes.length === 0) return;
    await this.pool.query(
      `UPDATE site s SET learned_interval_s = v.interval_s
       FROM unnest($1::int[], $2::int[]) AS v(key, interval_s)
       WHERE s.key = v.key AND s.learned_interval_s IS DISTINCT FROM v.interval_s`,
      [changes.map((c) => c.siteKey), changes.map((c) => Math.round(c.intervalS))],
    );
  }

  /** Retires a site: it disappears from the map and its devices are refused; its history stays. */
  async retire(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE site SET retired_at = now(), updated_at = now() WHERE id = $1 AND retired_at IS NULL`,
      [id],
    );
    return (rowCount ?? 0) > 0;
  }
}
