import type { AbnormalFlag } from '@tidewatch/contracts';
import type pg from 'pg';
import { isoUtc } from '../common/sql.js';

export const BUCKETS = ['raw', '1m', '5m', '1h', '1d'] as const;
export type Bucket = (typeof BUCKETS)[number];

export interface SeriesPoint {
  t: string;
  avg: number;
  min: number;
  max: number;
  n: number;
  /** A value flagged other than N: one value (n 1), never part of a bucket's figures. */
  flag?: AbnormalFlag;
}

export const BUCKET_MS: Record<Exclude<Bucket, 'raw'>, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
};

/** At most this many points per answer; a wider range must use a coarser bucket. */
export const MAX_POINTS = 20_000;

const ISO = isoUtc('t');

const RAW_SQL = `
SELECT ${ISO} AS t, value AS avg, value AS min, value AS max, 1 AS n
FROM (SELECT time AS t, value FROM reading
      WHERE site_key = $1 AND metric_id = $2 AND time >= $3 AND time < $4 ORDER BY time LIMIT ${MAX_POINTS}) r`;

const BINNED_SQL = `
SELECT ${ISO} AS t, avg, min, max, n FROM (
  SELECT date_bin($5::interval, time, timestamptz 'epoch') AS t, avg(value) AS avg, min(value) AS min, max(value) AS max, count(*)::int AS n
  FROM reading WHERE site_key = $1 AND metric_id = $2 AND time >= $3 AND time < $4
  GROUP BY 1 ORDER BY 1) b`;

const HOURLY_SQL = `
SELECT ${ISO} AS t, sum / n AS avg, min, max, n FROM (
  SELECT hour AS t, sum, min, max, n FROM reading_hourly
  WHERE site_key = $1 AND metric_id = $2 AND hour >= $3 AND hour < $4 ORDER BY hour) h`;

/** Days counted in the district's time zone, from the hourly rollup. */
const DAILY_SQL = `
SELECT ${ISO} AS t, sum / n AS avg, min, max, n FROM (
  SELECT date_trunc('day', hour, $5) AS t, sum(sum) AS sum, min(min) AS min, max(max) AS max, sum(n)::int AS n
  FROM reading_hourly WHERE site_key = $1 AND metric_id = $2 AND hour >= $3 AND hour < $4
  GROUP BY 1 ORDER BY 1) d`;

/** Flagged values in the range, one point each (the primary key's index serves the range). */
const FLAGGED_SQL = `
SELECT ${ISO} AS t, value AS avg, value AS min, value AS max, 1 AS n, flag
FROM (SELECT time AS t, value, flag FROM reading_flagged
      WHERE site_key = $1 AND metric_id = $2 AND time >= $3 AND time < $4 ORDER BY time LIMIT ${MAX_POINTS}) f`;

export class SeriesRepository {
  constructor(private readonly pool: pg.Pool, private readonly districtTz: string) {}

  async series(siteKey: number, metricId: number, from: Date, to: Date, bucket: Bucket): Promise<SeriesPoint[]> {
    const base = [siteKey, metricId, from, to];
    let q: pg.QueryConfig;
    switch (bucket) {
      case 'raw':
        q = { name: 'tidewatch-series-raw', text: RAW_SQL, values: base };
        break;
      case '1m':
      case '5m':
        q = { name: 'tidewatch-series-binned', text: BINNED_SQL, values: [...base, bucket === '1m' ? '1 minute' : '5 minutes'] };
        break;
      case '1h':
        q = { name: 'tidewatch-series-hourly', text: HOURLY_SQL, values: base };
        break;
      case '1d':
        q = { name: 'tidewatch-series-daily', text: DAILY_SQL, values: [...base, this.districtTz] };
        break;
    }
    const { rows } = await this.pool.query<SeriesPoint>(q);
    return rows;
  }

  /** The values flagged other than N in the range, each with its flag. */
  async flagged(siteKey: number, metricId: number, from: Date, to: Date): Promise<SeriesPoint[]> {
    const { rows } = await this.pool.query<SeriesPoint>({ name: 'tidewatch-series-flagged', text: FLAGGED_SQL, values: [siteKey, metricId, from, to] });
    return rows;
  }

  async events(siteKey: number, from: Date, to: Date, type: string | undefined, limit: number): Promise<{ time: string; type: string; data: unknown }[]> {
    const { rows } = await this.pool.query<{ time: string; type: string; data: unknown }>(
      `SELECT ${isoUtc('time')} AS time, type, data FROM event
       WHERE site_key = $1 AND time >= $2 AND time < $3 AND ($4::text IS NULL OR type = $4)
       ORDER BY time DESC LIMIT $5`,
      [siteKey, from, to, type ?? null, limit],
    );
    return rows;
  }
}
