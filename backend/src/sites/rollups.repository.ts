import type pg from 'pg';
import { MIN_MINUTES_PER_HOUR } from '../standards/validity.js';

/** A metric's figures for one district day of one site, from the hourly rollup. */
export interface DailyRollupRow {
  site_key: number;
  metric_id: number;
  /** District date YYYY-MM-DD. */
  day: string;
  mean: number;
  max: number;
  /** Readings that day. */
  n: number;
  /** Hours of the day with at least one reading. */
  hours: number;
  /** Hours of the day whose readings cover 45 minutes or more (the validity rule). */
  valid_hours: number;
}

/** One site's hours of one metric, as parallel arrays in hour order. */
export interface HourSeriesRow {
  site_key: number;
  metric_id: number;
  /** Hour starts, epoch ms. */
  hours: number[];
  ns: number[];
  sums: number[];
  /** Seconds of each hour its readings cover (at most 3600). */
  covered: number[];
}

export interface MeanRow {
  site_key: number;
  metric_id: number;
  mean: number;
}

export interface HourlyMeanRow extends MeanRow {
  hour: Date;
}

/**
 * Leaves out rollup hours covered by an active data-review mark of the site (all metrics) or of
 * the site and metric (marks are whole hours, so an hour is in or out). Part of each WHERE below.
 */
/** Seconds of an hour its readings cover: what they declared plus what they stood for, at most the hour. */
const COVERED = 'least(3600, declared_s + assumed_s)';
const MIN_COVERED_S = MIN_MINUTES_PER_HOUR * 60;

const NOT_REVIEWED = `NOT EXISTS (SELECT 1 FROM review_mark m
  WHERE m.site_key = reading_hourly.site_key AND m.withdrawn_at IS NULL
    AND m.from_ts <= reading_hourly.hour AND m.to_ts > reading_hourly.hour
    AND (m.metric_id IS NULL OR m.metric_id = reading_hourly.metric_id))`;

/** One metric's data of one site on one district day: what arrived and what counts. */
export interface CompletenessRow {
  site_key: number;
  metric_id: number;
  /** District date YYYY-MM-DD. */
  day: string;
  /** Readings stored, flagged ones and those in reviewed hours included. */
  received: number;
  /** Readings in valid hours (covered 45 minutes or more, not marked invalid by review). */
  valid: number;
  valid_hours: number;
}

/** Reads the hourly rollup (reading_hourly), without hours marked invalid by review; raw readings are never scanned. */
export class RollupsRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Daily figures per site and metric, days counted in zone `tz`, for hours in [fromMs, toMs). */
  async daily(siteKeys: number[], metricIds: number[], fromMs: number, toMs: number, tz: string): Promise<DailyRollupRow[]> {
    const { rows } = await this.pool.query<DailyRollupRow>({
      name: 'tidewatch-daily-means',
      text: `SELECT site_key, metric_id, to_char(hour AT TIME ZONE $5, 'YYYY-MM-DD') AS day,
                    sum(sum) / sum(n) AS mean, max(max) AS max, sum(n)::float8 AS n, count(*)::int AS hours,
                    count(*) FILTER (WHERE ${COVERED} >= ${MIN_COVERED_S})::int AS valid_hours
             FROM reading_hourly
             WHERE site_key = ANY($1::int[]) AND metric_id = ANY($2::smallint[]) AND hour >= $3 AND hour < $4
               AND ${NOT_REVIEWED}
             GROUP BY 1, 2, 3`,
      values: [siteKeys, metricIds, new Date(fromMs), new Date(toMs), tz],
    });
    return rows;
  }

  /** Every hour in [fromMs, toMs), one row per site and metric. */
  async hourSeries(siteKeys: number[], metricIds: number[], fromMs: number, toMs: number): Promise<HourSeriesRow[]> {
    // Arrays per site and metric: far less to parse than a row per hour.
    const { rows } = await this.pool.query<HourSeriesRow>({
      name: 'tidewatch-aqi-hours',
      text: `SELECT site_key, metric_id,
                    array_agg((extract(epoch FROM hour) * 1000)::float8 ORDER BY hour) AS hours,
                    array_agg(n ORDER BY hour) AS ns, array_agg(sum ORDER BY hour) AS sums,
                    array_agg(${COVERED} ORDER BY hour) AS covered
             FROM reading_hourly
             WHERE site_key = ANY($1::int[]) AND metric_id = ANY($2::smallint[]) AND hour >= $3 AND hour < $4
               AND ${NOT_REVIEWED}
             GROUP BY site_key, metric_id`,
      values: [siteKeys, metricIds, new Date(fromMs), new Date(toMs)],
    });
    return rows;
  }

  /** The mean per site and metric over the hours since `sinceMs`. */
  async meansSince(siteKeys: number[], metricIds: number[], sinceMs: number): Promise<MeanRow[]> {
    const { rows } = await this.pool.query<MeanRow>(
      `SELECT site_key, metric_id, sum(sum) / sum(n) AS mean FROM reading_hourly
       WHERE site_key = ANY($1::int[]) AND metric_id = ANY($2::smallint[]) AND hour >= $3 AND ${NOT_REVIEWED}
       GROUP BY 1, 2`,
      [siteKeys, metricIds, new Date(sinceMs)],
    );
    return rows;
  }

  /** Each valid hour's mean (covered 45 minutes or more) per site and metric since `sinceMs`. */
  async hourlyMeansSince(siteKeys: number[], metricIds: number[], sinceMs: number): Promise<HourlyMeanRow[]> {
    const { rows } = await this.pool.query<HourlyMeanRow>(
      `SELECT site_key, hour, metric_id, sum / n AS mean FROM reading_hourly
       WHERE site_key = ANY($1::int[]) AND metric_id = ANY($2::smallint[]) AND hour >= $3
         AND ${COVERED} >= ${MIN_COVERED_S} AND ${NOT_REVIEWED}`,
      [siteKeys, metricIds, new Date(sinceMs)],
    );
    return rows;
  }

  /**
   * Per site, metric and district day: readings received (flagged ones too), valid readings
   * and valid hours, for days in [fromMs, toMs). One statement over the rollup and the
   * flagged values; raw readings are not scanned.
   */
  async completeness(siteKeys: number[], metricIds: number[], fromMs: number, toMs: number, tz: string): Promise<CompletenessRow[]> {
    if (siteKeys.length === 0) return [];
    const { rows } = await this.pool.query<CompletenessRow>({
      name: 'tidewatch-completeness',
      text: `WITH h AS (
               SELECT site_key, metric_id, to_char(hour AT TIME ZONE $5, 'YYYY-MM-DD') AS day, n,
                      (${COVERED} >= ${MIN_COVERED_S} AND ${NOT_REVIEWED}) AS valid
               FROM reading_hourly
               WHERE site_key = ANY($1::int[]) AND metric_id = ANY($2::smallint[]) AND hour >= $3 AND hour < $4
             ),
             f AS (
               SELECT site_key, metric_id, to_char(time AT TIME ZONE $5, 'YYYY-MM-DD') AS day, count(*)::int AS n
               FROM reading_flagged
               WHERE site_key = ANY($1::int[]) AND metric_id = ANY($2::smallint[]) AND time >= $3 AND time < $4
               GROUP BY 1, 2, 3
             ),
             d AS (
               SELECT site_key, metric_id, day, sum(n)::int AS n, coalesce(sum(n) FILTER (WHERE valid), 0)::int AS valid,
                      count(*) FILTER (WHERE valid)::int AS valid_hours
               FROM h GROUP BY 1, 2, 3
             )
             SELECT site_key, metric_id, day, coalesce(d.n, 0) + coalesce(f.n, 0) AS received,
                    coalesce(d.valid, 0) AS valid, coalesce(d.valid_hours, 0) AS valid_hours
             FROM d FULL JOIN f USING (site_key, metric_id, day)`,
      values: [siteKeys, metricIds, new Date(fromMs), new Date(toMs), tz],
    });
    return rows;
  }
}
