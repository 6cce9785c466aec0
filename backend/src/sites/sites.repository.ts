import { metricById, type AbnormalFlag, type LatestValue, type SiteKind, type SiteSnapshot } from '@tidewatch/contracts';
import type pg from 'pg';
import { livenessStatus, statusFromAlerts } from './site-status.js';
import { ConflictError } from '../common/domain-errors.js';
import { isoUtc } from '../common/sql.js';
import type { SiteMeta } from './site-meta.js';

export interface SiteInput {
  id: string;
  kind: SiteKind;
  name_zh: string;
  name_en: string;
  lat: number;
  lon: number;
  params: Record<string, unknown>;
}

export type SitePatch = Partial<Omit<SiteInput, 'id' | 'kind'>>;

export interface SiteDetail extends SiteSnapshot {
  params: Record<string, unknown>;
}

interface SiteRow {
  id: string;
  kind: SiteKind;
  name_zh: string;
  name_en: string;
  lat: number;
  lon: number;
  params: Record<string, unknown>;
  online: boolean;
  status_at: Date | null;
  last_seen: Date | null;
  latest: [number, string, number][] | null;
  flagged: [number, string, number, AbnormalFlag][] | null;
  worst_alert: string | null;
}

/** Sites with their newest values, in one query (no per-site round trips). */
const SITES_SQL = `
SELECT s.id, s.kind, s.name_zh, s.name_en, s.lat, s.lon, s.params, s.online, s.status_at, s.last_seen,
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
  return {
    id: r.id,
    kind: r.kind,
    name_zh: r.name_zh,
    name_en: r.name_en,
    lat: r.lat,
    lon: r.lon,
    status: ((live) => (live === 'offline' ? live : statusFromAlerts(r.worst_alert)))(
      livenessStatus({ kind: r.kind, online: r.online, statusAtMs: r.status_at?.getTime() ?? null, lastSeenMs }, nowMs),
    ),
    online: r.online,
    last_seen: r.last_seen?.toISOString() ?? null,
    latest,
    params: r.params,
  };
}

export class SiteExistsError extends ConflictError {}

export class SitesRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** The active sites, by id. */
  async active(): Promise<SiteMeta[]> {
    const { rows } = await this.pool.query<SiteMeta>(
      `SELECT key, id, kind, name_zh, name_en, lat, lon, params FROM site WHERE retired_at IS NULL ORDER BY id`,
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
        `INSERT INTO site (id, kind, name_zh, name_en, lat, lon, params) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [s.id, s.kind, s.name_zh, s.name_en, s.lat, s.lon, JSON.stringify(s.params)],
      );
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new SiteExistsError(`site ${s.id} exists (ids of retired sites are not reused)`);
      throw err;
    }
  }

  async update(id: string, p: SitePatch): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE site SET name_zh = coalesce($2, name_zh), name_en = coalesce($3, name_en), lat = coalesce($4, lat),
         lon = coalesce($5, lon), params = coalesce($6::jsonb, params), updated_at = now()
       WHERE id = $1 AND retired_at IS NULL`,
      [id, p.name_zh ?? null, p.name_en ?? null, p.lat ?? null, p.lon ?? null, p.params ? JSON.stringify(p.params) : null],
    );
    return (rowCount ?? 0) > 0;
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
