import { severityRank, type Condition, type EventCondition, type RuleDefinition, type Severity, type ValueRef } from './rule-model.js';

/** What a rule remembers between evaluations (persisted, so durations survive a restart). */
export interface RuleState {
  /** Newest value per metric: [ts, value]. */
  last: Record<string, [number, number]>;
  /** When each timed condition (by its path in the rule) started to hold. */
  since: Record<string, number>;
  /** How many readings in a row a counted condition has held. */
  count: Record<string, number>;
  /** Recent values of metrics watched for rate of change. */
  hist: Record<string, [number, number][]>;
  /** Inspection hazards not yet rectified. */
  hazards: { vessel: string; hazard: string; ts: number }[];
  /** Newest derived values: [ts, value]. */
  derived: Record<string, [number, number]>;
  /** The level in force after the last evaluation (hysteresis keeps it until `clear` holds). */
  level: Severity | null;
  /** Device alarm events in force, per event condition (by its path): key value → newest event time. */
  events?: Record<string, Record<string, number>>;
}

export function emptyState(): RuleState {
  return { last: {}, since: {}, count: {}, hist: {}, hazards: [], derived: {}, level: null, events: {} };
}

export interface SiteContext {
  id: string;
  kind: string;
  params: Record<string, unknown>;
  /** The site's reporting interval in seconds (set, learned or nominal): silence is counted in these. */
  intervalS: number;
}

export interface Observation {
  metric: string;
  ts: number;
  value: number;
}

export interface SiteEvent {
  ts: number;
  type: string;
  data: Record<string, unknown>;
}

export interface EvaluationInput {
  readings?: Observation[];
  events?: SiteEvent[];
  derived?: Record<string, number | null>;
  nowMs: number;
  /** Newest data of the site (or when the hub started watching it). */
  lastSeenMs?: number;
}

export interface Outcome {
  /**
   * The most severe level reached in this evaluation, when it first held, the values then and
   * the device alarm events of this input that the rule took up.
   */
  triggered: { severity: Severity; ts: number; values: Record<string, number>; events?: SiteEvent[] } | null;
  /** The level in force afterwards (null: the condition has cleared or never held). */
  level: Severity | null;
  /** The level went from held to clear in this evaluation. */
  cleared: boolean;
  state: RuleState;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Data older than this (or than three of the site's intervals, if longer) is history, not news. */
export const HISTORICAL_AFTER_MS = 5 * MINUTE;

/**
 * An alert triggered at `triggeredMs` by data judged at `nowMs` describes the past (a backfill,
 * a device's buffered batch): it is recorded but does not ring.
 */
export function isHistorical(triggeredMs: number, nowMs: number, intervalS: number): boolean {
  return nowMs - triggeredMs > Math.max(HISTORICAL_AFTER_MS, 3 * intervalS * 1000);
}

function resolve(ref: ValueRef, site: SiteContext): number | undefined {
  if (typeof ref === 'number') return ref;
  const v = site.params[ref.param];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function resolveBand(ref: ValueRef | [number, number], site: SiteContext): [number, number] | undefined {
  if (Array.isArray(ref)) return ref;
  if (typeof ref === 'number') return undefined;
  const v = site.params[ref.param];
  return Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number') ? (v as [number, number]) : undefined;
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case 'gte':
      return a >= b;
    case 'gt':
      return a > b;
    case 'lte':
      return a <= b;
    case 'lt':
      return a < b;
    default:
      return a === b;
  }
}

/** Metrics a condition reads (for the alert's detail). */
export function metricsOf(c: Condition): string[] {
  switch (c.type) {
    case 'threshold':
    case 'band':
    case 'rate':
      return [c.metric];
    case 'all':
    case 'any':
      return c.of.flatMap(metricsOf);
    default:
      return [];
  }
}

class Evaluator {
  constructor(
    private readonly site: SiteContext,
    private readonly s: RuleState,
    private readonly input: EvaluationInput,
  ) {}

  /** Timed and counted conditions hold only after their minutes or readings. */
  private timed(path: string, raw: boolean, ts: number, forMinutes: number | undefined, repeat: number | undefined, fresh: boolean): boolean {
    if (!raw) {
      delete this.s.since[path];
      delete this.s.count[path];
      return false;
    }
    this.s.since[path] ??= ts;
    if (fresh) this.s.count[path] = (this.s.count[path] ?? 0) + 1;
    const longEnough = forMinutes === undefined || ts - this.s.since[path]! >= forMinutes * MINUTE;
    const oftenEnough = repeat === undefined || (this.s.count[path] ?? 0) >= repeat;
    return longEnough && oftenEnough;
  }

  holds(c: Condition, path: string, ts: number): boolean {
    switch (c.type) {
      case 'threshold': {
        const last = this.s.last[c.metric];
        const limit = resolve(c.value, this.site);
        const raw = last !== undefined && limit !== undefined && compare(c.op, last[1], limit);
        return this.timed(path, raw, ts, c.for_minutes, c.repeat, last?.[0] === ts);
      }
      case 'band': {
        const last = this.s.last[c.metric];
        const band = resolveBand(c.outside, this.site);
        const raw = last !== undefined && band !== undefined && (last[1] < band[0] || last[1] > band[1]);
        return this.timed(path, raw, ts, c.for_minutes, c.repeat, last?.[0] === ts);
      }
      case 'rate': {
        const hist = this.s.hist[c.metric] ?? [];
        const last = this.s.last[c.metric];
        if (!last || hist.length === 0) return false;
        const oldest = hist.find(([t]) => t >= last[0] - c.per_minutes * MINUTE) ?? hist[0]!;
        const delta = last[1] - oldest[1];
        return c.change >= 0 ? delta >= c.change : delta <= c.change;
      }
      case 'no_data': {
        const seen = this.input.lastSeenMs;
        return seen !== undefined && ts - seen > c.intervals * this.site.intervalS * 1000;
      }
      case 'derived': {
        const d = this.s.derived[c.value];
        const raw = d !== undefined && compare(c.op, d[1], c.threshold);
        return this.timed(path, raw, ts, c.for_minutes, undefined, false);
      }
      case 'hazard_unrectified':
        return this.s.hazards.some((h) => ts - h.ts >= c.days * DAY);
      case 'event': {
        const held = this.s.events?.[path];
        if (!held) return false;
        if (c.window_minutes !== undefined) {
          for (const [key, at] of Object.entries(held)) if (ts - at >= c.window_minutes * MINUTE) delete held[key];
        }
        return Object.keys(held).length > 0;
      }
      case 'all':
      case 'any': {
        // Every child is evaluated (no short cut) so that their timers stay right.
        const results = c.of.map((child, i) => this.holds(child, `${path}.${i}`, ts));
        return c.type === 'all' ? results.every(Boolean) : results.some(Boolean);
      }
    }
  }
}

function applyEvents(s: RuleState, events: readonly SiteEvent[]): void {
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    if (e.type === 'inspection' && e.data.result === 'fail' && Array.isArray(e.data.hazards)) {
      for (const hazard of e.data.hazards) {
        if (typeof hazard === 'string') s.hazards.push({ vessel: String(e.data.vessel ?? ''), hazard, ts: e.ts });
      }
    } else if (e.type === 'rectified') {
      const who = String(e.data.vessel ?? e.data.ref ?? '');
      const i = s.hazards.findIndex((h) => h.vessel === who && h.hazard === e.data.hazard);
      if (i >= 0) s.hazards.splice(i, 1);
    }
  }
}

/** True while a device alarm event holds one of the rule's conditions (its window may yet end). */
export function holdsDeviceAlarm(s: RuleState | undefined): boolean {
  return Object.values(s?.events ?? {}).some((held) => Object.keys(held).length > 0);
}

/** The rule's event conditions with their paths (as `Evaluator.holds` names them). */
function eventConditions(rule: RuleDefinition): [string, EventCondition][] {
  const out: [string, EventCondition][] = [];
  const walk = (c: Condition, path: string): void => {
    if (c.type === 'event') out.push([path, c]);
    if (c.type === 'all' || c.type === 'any') c.of.forEach((x, i) => walk(x, `${path}.${i}`));
  };
  rule.levels.forEach((l, i) => walk(l.when, `L${i}`));
  if (rule.clear) walk(rule.clear, 'C');
  return out;
}

function matches(where: EventCondition['where'], data: Record<string, unknown>): boolean {
  if (!where) return true;
  const v = data[where.field];
  return typeof v === 'number' && compare(where.op, v, where.value);
}

/** Takes up device alarm events (and the events that end them); returns those taken up. */
function applyDeviceEvents(rule: RuleDefinition, s: RuleState, events: readonly SiteEvent[]): SiteEvent[] {
  const conditions = eventConditions(rule);
  const taken: SiteEvent[] = [];
  if (conditions.length === 0) return taken;
  s.events ??= {};
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    for (const [path, c] of conditions) {
      const key = c.key === undefined ? '' : String(e.data[c.key] ?? '');
      const held = (s.events[path] ??= {});
      if (e.type === c.event && matches(c.where, e.data)) {
        held[key] = Math.max(held[key] ?? -Infinity, e.ts);
        if (!taken.includes(e)) taken.push(e);
      } else if (e.type === c.until && held[key] !== undefined && held[key] <= e.ts) {
        delete held[key];
      }
    }
  }
  return taken;
}

function record(s: RuleState, metric: string, ts: number, value: number, watchRate: Set<string>, windowMs: number): void {
  s.last[metric] = [ts, value];
  if (watchRate.has(metric)) {
    const h = (s.hist[metric] ??= []);
    h.push([ts, value]);
    while (h.length > 0 && h[0]![0] < ts - windowMs) h.shift();
  }
}

function rateMetrics(c: Condition, out: Map<string, number>): void {
  if (c.type === 'rate') out.set(c.metric, Math.max(out.get(c.metric) ?? 0, c.per_minutes * MINUTE));
  if (c.type === 'all' || c.type === 'any') for (const x of c.of) rateMetrics(x, out);
}

/**
 * Evaluates one rule for one site over new data, in the data's own time order. Readings
 * older than what the rule has already seen of their metric (late, buffered batches) are
 * judged among themselves, by their own timestamps: they can raise an alert for the time
 * they describe, but do not change the current state. Pure: returns the new state.
 */
export function evaluate(rule: RuleDefinition, site: SiteContext, previous: RuleState, input: EvaluationInput): Outcome {
  const state: RuleState = structuredClone(previous);
  const rates = new Map<string, number>();
  for (const l of rule.levels) rateMetrics(l.when, rates);
  const watch = new Set(rates.keys());
  const window = Math.max(0, ...rates.values());
  applyEvents(state, input.events ?? []);
  const alarms = applyDeviceEvents(rule, state, input.events ?? []);
  for (const [name, value] of Object.entries(input.derived ?? {})) {
    if (value === null) delete state.derived[name];
    else state.derived[name] = [input.nowMs, value];
  }

  const readings = [...(input.readings ?? [])].sort((a, b) => a.ts - b.ts);
  const late = readings.filter((r) => r.ts <= (state.last[r.metric]?.[0] ?? -Infinity));
  const current = readings.filter((r) => r.ts > (state.last[r.metric]?.[0] ?? -Infinity));

  let triggered: Outcome['triggered'] = null;
  const consider = (severity: Severity | null, ts: number, s: RuleState): void => {
    if (severity && (!triggered || severityRank(severity) > severityRank(triggered.severity))) {
      const values: Record<string, number> = {};
      for (const m of rule.levels.flatMap((l) => metricsOf(l.when))) if (s.last[m]) values[m] = s.last[m]![1];
      for (const [k, v] of Object.entries(s.derived)) values[k] = v[1];
      triggered = alarms.length > 0 ? { severity, ts, values, events: alarms } : { severity, ts, values };
    }
  };
  const levelAt = (ev: Evaluator, ts: number): Severity | null => {
    let found: Severity | null = null;
    rule.levels.forEach((l, i) => {
      const holds = ev.holds(l.when, `L${i}`, ts);
      if (holds && found === null) found = l.severity;
    });
    return found;
  };

  // Late readings: a scratch copy that knows the other metrics' newest values but no timers
  // and no device alarms (those describe now).
  if (late.length > 0) {
    const scratch: RuleState = { ...structuredClone(state), since: {}, count: {}, hist: {}, last: {}, events: {} };
    const ev = new Evaluator(site, scratch, input);
    for (const ts of [...new Set(late.map((r) => r.ts))]) {
      for (const r of late.filter((x) => x.ts === ts)) record(scratch, r.metric, r.ts, r.value, watch, window);
      consider(levelAt(ev, ts), ts, scratch);
    }
  }

  const wasHeld = state.level !== null;
  const ev = new Evaluator(site, state, input);
  const ticks = [...new Set(current.map((r) => r.ts))];
  // Without data (a timer tick, events) the rule is judged now; a batch of only late readings
  // says nothing of now, so the current state is not judged at the wall clock.
  if (ticks.length === 0 && readings.length === 0) ticks.push(input.nowMs);
  for (const ts of ticks) {
    for (const r of current.filter((x) => x.ts === ts)) record(state, r.metric, r.ts, r.value, watch, window);
    const level = levelAt(ev, ts);
    consider(level, ts, state);
    if (level !== null) state.level = level;
    else if (state.level !== null && (!rule.clear || ev.holds(rule.clear, 'C', ts))) state.level = null;
  }
  return { triggered, level: state.level, cleared: wasHeld && state.level === null, state };
}
