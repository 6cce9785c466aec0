import type pg from 'pg';
import type { EventCount } from './event-count.js';

/** Reads device events (inspections, departures, rectifications…). */
export class EventsRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Events per site and type in [fromMs, toMs) (no upper bound when `toMs` is null), with the
   * hazards listed by failed inspections and how many inspections failed.
   */
  async countsBySiteAndType(siteKeys: number[], fromMs: number, toMs: number | null): Promise<EventCount[]> {
    if (siteKeys.length === 0) return [];
    const { rows } = await this.pool.query<EventCount>(
      `SELECT s.id AS site, e.type, count(*)::int AS count,
              coalesce(sum(jsonb_array_length(e.data->'hazards')) FILTER (WHERE e.type = 'inspection' AND e.data->>'result' = 'fail' AND jsonb_typeof(e.data->'hazards') = 'array'), 0)::int AS hazards,
              count(*) FILTER (WHERE e.type = 'inspection' AND e.data->>'result' = 'fail')::int AS failed
       FROM event e JOIN site s ON s.key = e.site_key
       WHERE e.site_key = ANY($1::int[]) AND e.time >= $2 AND ($3::timestamptz IS NULL OR e.time < $3)
       GROUP BY 1, 2`,
      [siteKeys, new Date(fromMs), toMs === null ? null : new Date(toMs)],
    );
    return rows;
  }
}
