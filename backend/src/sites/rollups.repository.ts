import type pg from 'pg';

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
}

/** One site's hours of one metric, as parallel arrays in hour order. */
export interface HourSeriesRow {
  site_key: number;
  metric_id: number;
  /** Hour starts, epoch ms. */
  hours: number[];
  ns: number[];
  sums: number[];
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
const NOT_REVIEWED = `NOT EXISTS (SELECT 1 FROM review_mark m
  WHERE m.site_key = reading_hourly.site_key AND m.withdrawn_at IS NULL
    AND m.from_ts <= reading_hourly.hour AND m.to_ts > reading_hourly.hour
    AND (m.metric_id IS NULL OR m.metric_id = reading_hourly.metric_id))`;

/** Reads the hourly rollup (reading_hourly), without hours marked invalid by review; raw readings are never scanned. */
export class RollupsRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Daily figures per site and metric, days counted in zone `tz`, for hours in [fromMs, toMs). */
  async daily(siteKeys: number[], metricIds: number[], fromMs: number, toMs: number, tz: string): Promise<DailyRollupRow[]> {
    const { rows } = await this.pool.query<DailyRollupRow>({
      name: 'tidewatch-daily-means',
      text: `SELECT site_key, metric_id, to_char(hour AT TIME ZONE $5, 'YYYY-MM-DD') AS day,
                    sum(sum) / sum(n) AS mean, max(max) AS max, sum(n)::float8 AS n, count(*)::int AS hours
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
                    array_agg(n ORDER BY hour) AS ns, array_agg(sum ORDER BY hour) AS sums
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

  /** Each hour's mean per site and metric since `sinceMs`. */
  async hourlyMeansSince(siteKeys: number[], metricIds: number[], sinceMs: number): Promise<HourlyMeanRow[]> {
    const { rows } = await this.pool.query<HourlyMeanRow>(
      `SELECT site_key, hour, metric_id, sum / n AS mean FROM reading_hourly
       WHERE site_key = ANY($1::int[]) AND metric_id = ANY($2::smallint[]) AND hour >= $3
         AND ${NOT_REVIEWED}`,
      [siteKeys, metricIds, new Date(sinceMs)],
    );
    return rows;
  }
}
