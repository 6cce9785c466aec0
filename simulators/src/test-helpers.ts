import { District, type Report } from './district.js';
import type { SimEvent, SimSite } from './models/model.js';
import type { ScenarioName } from './scenarios.js';
import { loadSeedSites } from './seed-sites.js';

export const SITES: SimSite[] = loadSeedSites();
export const WINTER = Date.parse('2026-01-12T00:00:00+08:00'); // a Monday
export const SUMMER = Date.parse('2026-07-13T00:00:00+08:00'); // a Monday
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export interface Run {
  district: District;
  reports: Report[];
  events: { site: SimSite; event: SimEvent }[];
}

/** Simulates the district from `start` for `ms`, collecting every report and event. */
export function simulate(start: number, ms: number, opts: { seed?: number; scenario?: ScenarioName; stepMs?: number } = {}): Run {
  const district = new District(SITES, opts.seed ?? 42, start, opts.scenario ?? 'normal');
  const reports: Report[] = [];
  const events: Run['events'] = [];
  const step = opts.stepMs ?? HOUR;
  for (let t = start; t < start + ms; ) {
    t = Math.min(start + ms, t + step);
    const r = district.advance(t);
    reports.push(...r.reports);
    events.push(...r.events);
  }
  return { district, reports, events };
}

export function series(run: Run, siteId: string, metric: string): { ts: number; v: number }[] {
  return run.reports.filter((r) => r.site.id === siteId && metric in r.values).map((r) => ({ ts: r.ts, v: r.values[metric]! }));
}

export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function pearson(a: number[], b: number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - ma) * (b[i]! - mb);
    da += (a[i]! - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

/** District hour of a timestamp, whole. */
export function hourOf(ts: number): number {
  return Math.floor((((ts / HOUR + 8) % 24) + 24) % 24);
}
