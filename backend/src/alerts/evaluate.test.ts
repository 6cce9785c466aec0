import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './default-rules.js';
import { emptyState, evaluate, holdsDeviceAlarm, isHistorical, type EvaluationInput, type RuleState, type SiteContext } from './evaluate.js';
import { jsonDepth, ruleDefinitionSchema, type Condition, type RuleDefinition } from './rule-model.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const MIN = 60_000;
const site = (kind: string, params: Record<string, unknown> = {}, intervalS = 30): SiteContext => ({ id: `${kind}-x`, kind, params, intervalS });
const rule = (levels: RuleDefinition['levels'], clear?: Condition): RuleDefinition => ({ title: { zh: '测试', en: 'test' }, levels, clear });
const def = (id: string): RuleDefinition => DEFAULT_RULES.find((r) => r.id === id)!.definition;

/** Feeds readings one evaluation at a time (as batches arrive), returning every outcome. */
function feed(r: RuleDefinition, s: SiteContext, steps: EvaluationInput[], start: RuleState = emptyState()) {
  let state = start;
  return steps.map((input) => {
    const out = evaluate(r, s, state, input);
    state = out.state;
    return out;
  });
}
const reading = (metric: string, value: number, ts: number): EvaluationInput => ({ readings: [{ metric, ts, value }], nowMs: ts });

describe('conditions', () => {
  it('threshold: each operator', () => {
    const s = site('x');
    for (const [op, value, expected] of [['gte', 10, true], ['gt', 10, false], ['lte', 10, true], ['lt', 10, false], ['eq', 10, true]] as const) {
      const out = evaluate(rule([{ severity: 'major', when: { type: 'threshold', metric: 'm', op, value } }]), s, emptyState(), reading('m', 10, T0));
      expect(out.level, op).toBe(expected ? 'major' : null);
    }
  });

  it('threshold from a site parameter; a missing parameter never holds', () => {
    const r = rule([{ severity: 'major', when: { type: 'threshold', metric: 'lvl', op: 'gte', value: { param: 'high_level_m' } } }]);
    expect(evaluate(r, site('pump', { high_level_m: 3 }), emptyState(), reading('lvl', 3.1, T0)).level).toBe('major');
    expect(evaluate(r, site('pump', {}), emptyState(), reading('lvl', 99, T0)).level).toBeNull();
  });

  it('band: outside a configured band', () => {
    const r = rule([{ severity: 'major', when: { type: 'band', metric: 'p', outside: { param: 'band' } } }]);
    const s = site('gas', { band: [200, 400] });
    expect(evaluate(r, s, emptyState(), reading('p', 199, T0)).level).toBe('major');
    expect(evaluate(r, s, emptyState(), reading('p', 300, T0)).level).toBeNull();
    expect(evaluate(r, s, emptyState(), reading('p', 401, T0)).level).toBe('major');
    expect(evaluate(rule([{ severity: 'major', when: { type: 'band', metric: 'p', outside: [1, 2] } }]), s, emptyState(), reading('p', 3, T0)).level).toBe('major');
  });

  it('duration: holds only after N minutes by the readings’ own timestamps', () => {
    const r = rule([{ severity: 'warning', when: { type: 'threshold', metric: 'h2s', op: 'gte', value: 10, for_minutes: 5 } }]);
    const outs = feed(r, site('pump'), [reading('h2s', 12, T0), reading('h2s', 12, T0 + 4 * MIN), reading('h2s', 12, T0 + 5 * MIN), reading('h2s', 5, T0 + 6 * MIN), reading('h2s', 12, T0 + 7 * MIN)]);
    expect(outs.map((o) => o.level)).toEqual([null, null, 'warning', null, null]);
    expect(outs[2]!.triggered?.ts).toBe(T0 + 5 * MIN);
  });

  it('repeat: holds after N readings in a row', () => {
    const r = rule([{ severity: 'minor', when: { type: 'threshold', metric: 'm', op: 'gt', value: 1, repeat: 3 } }]);
    const outs = feed(r, site('x'), [reading('m', 2, T0), reading('m', 2, T0 + MIN), reading('m', 0, T0 + 2 * MIN), reading('m', 2, T0 + 3 * MIN), reading('m', 2, T0 + 4 * MIN), reading('m', 2, T0 + 5 * MIN)]);
    expect(outs.map((o) => o.level)).toEqual([null, null, null, null, null, 'minor']);
  });

  it('rate of change: a rise of N within M minutes', () => {
    const r = rule([{ severity: 'major', when: { type: 'rate', metric: 'lvl', change: 0.5, per_minutes: 10 } }]);
    const outs = feed(r, site('pump'), [reading('lvl', 1, T0), reading('lvl', 1.2, T0 + 5 * MIN), reading('lvl', 1.6, T0 + 9 * MIN), reading('lvl', 1.7, T0 + 25 * MIN)]);
    expect(outs.map((o) => o.level)).toEqual([null, null, 'major', null]);
    const fall = rule([{ severity: 'major', when: { type: 'rate', metric: 'p', change: -50, per_minutes: 5 } }]);
    expect(feed(fall, site('gas'), [reading('p', 300, T0), reading('p', 240, T0 + 2 * MIN)]).map((o) => o.level)).toEqual([null, 'major']);
  });

  it('no data: silent for N nominal intervals', () => {
    const r = rule([{ severity: 'warning', when: { type: 'no_data', intervals: 3 } }]);
    const s = site('air', {}, 60);
    expect(evaluate(r, s, emptyState(), { nowMs: T0 + 179_000, lastSeenMs: T0 }).level).toBeNull();
    expect(evaluate(r, s, emptyState(), { nowMs: T0 + 181_000, lastSeenMs: T0 }).level).toBe('warning');
  });

  it('derived values, with a duration', () => {
    const r = rule([
      { severity: 'major', when: { type: 'derived', value: 'hourly_aqi', op: 'gt', threshold: 200 } },
      { severity: 'minor', when: { type: 'derived', value: 'hourly_aqi', op: 'gt', threshold: 100 } },
    ]);
    const outs = feed(r, site('air'), [{ derived: { hourly_aqi: 90 }, nowMs: T0 }, { derived: { hourly_aqi: 150 }, nowMs: T0 + 60 * MIN }, { derived: { hourly_aqi: 201 }, nowMs: T0 + 120 * MIN }, { derived: { hourly_aqi: null }, nowMs: T0 + 180 * MIN }]);
    expect(outs.map((o) => o.level)).toEqual([null, 'minor', 'major', null]);
    const timed = rule([{ severity: 'minor', when: { type: 'derived', value: 'water_grade_over_target', op: 'gt', threshold: 0, for_minutes: 30 } }]);
    expect(feed(timed, site('river'), [{ derived: { water_grade_over_target: 1 }, nowMs: T0 }, { derived: { water_grade_over_target: 1 }, nowMs: T0 + 31 * MIN }]).map((o) => o.level)).toEqual([null, 'minor']);
  });

  it('AND / OR combinations', () => {
    const both = rule([{ severity: 'critical', when: { type: 'all', of: [{ type: 'threshold', metric: 'a', op: 'gt', value: 1 }, { type: 'threshold', metric: 'b', op: 'gt', value: 1 }] } }]);
    const either = rule([{ severity: 'critical', when: { type: 'any', of: [{ type: 'threshold', metric: 'a', op: 'gt', value: 1 }, { type: 'threshold', metric: 'b', op: 'gt', value: 1 }] } }]);
    const data = { readings: [{ metric: 'a', ts: T0, value: 2 }, { metric: 'b', ts: T0, value: 0 }], nowMs: T0 };
    expect(evaluate(both, site('x'), emptyState(), data).level).toBeNull();
    expect(evaluate(either, site('x'), emptyState(), data).level).toBe('critical');
  });
});

describe('levels, hysteresis and clearing', () => {
  it('takes the most severe level that holds and clears with hysteresis', () => {
    const outs = feed(def('gas-lel'), site('gas_point'), [
      reading('ch4_lel_pct', 10, T0),
      reading('ch4_lel_pct', 22, T0 + MIN),
      reading('ch4_lel_pct', 55, T0 + 2 * MIN),
      reading('ch4_lel_pct', 18, T0 + 3 * MIN), // below 20 but not below 15: still held
      reading('ch4_lel_pct', 14, T0 + 4 * MIN),
    ]);
    expect(outs.map((o) => o.level)).toEqual([null, 'major', 'critical', 'critical', null]);
    expect(outs.map((o) => o.triggered?.severity ?? null)).toEqual([null, 'major', 'critical', null, null]);
    expect(outs[4]!.cleared).toBe(true);
    expect(outs[2]!.triggered!.values).toEqual({ ch4_lel_pct: 55 });
  });

  it('a batch of several readings is judged reading by reading', () => {
    const out = evaluate(def('gas-lel'), site('gas_point'), emptyState(), {
      readings: [
        { metric: 'ch4_lel_pct', ts: T0 + 2 * MIN, value: 5 },
        { metric: 'ch4_lel_pct', ts: T0, value: 60 },
        { metric: 'ch4_lel_pct', ts: T0 + MIN, value: 30 },
      ],
      nowMs: T0 + 2 * MIN,
    });
    expect(out.triggered).toMatchObject({ severity: 'critical', ts: T0 });
    expect(out.level).toBeNull(); // it had cleared by the newest reading
  });
});

describe('state across a restart', () => {
  it('keeps durations: JSON round trip of the state in the middle of a timed condition', () => {
    const r = rule([{ severity: 'warning', when: { type: 'threshold', metric: 'h2s', op: 'gte', value: 10, for_minutes: 5 } }]);
    const [first] = feed(r, site('pump'), [reading('h2s', 12, T0)]);
    const restored = JSON.parse(JSON.stringify(first!.state)) as RuleState;
    const [after] = feed(r, site('pump'), [reading('h2s', 12, T0 + 5 * MIN)], restored);
    expect(after!.level).toBe('warning');
  });
});

describe('late and buffered readings', () => {
  it('a late reading can raise an alert for its own time without disturbing the current state', () => {
    const r = def('gas-lel');
    const [now] = feed(r, site('gas_point'), [reading('ch4_lel_pct', 1, T0 + 10 * MIN)]);
    const late = evaluate(r, site('gas_point'), now!.state, reading('ch4_lel_pct', 52, T0 + 2 * MIN));
    expect(late.triggered).toMatchObject({ severity: 'critical', ts: T0 + 2 * MIN });
    expect(late.level).toBeNull();
    expect(late.state.last.ch4_lel_pct).toEqual([T0 + 10 * MIN, 1]);
  });

  it('a batch of only late readings does not judge a running duration at the wall clock', () => {
    // Held since T0 (6 s needed); the newest reading is at T0 + 5 s; a late one arrives a minute later.
    const r = rule([{ severity: 'major', when: { type: 'threshold', metric: 'h2s', op: 'gte', value: 20, for_minutes: 0.1 } }]);
    const [, held] = feed(r, site('pump'), [reading('h2s', 25, T0), reading('h2s', 25, T0 + 5000)]);
    expect(held!.triggered).toBeNull();
    const late = evaluate(r, site('pump'), held!.state, { readings: [{ metric: 'h2s', ts: T0 + 4000, value: 25 }], nowMs: T0 + 60_000 });
    expect(late.triggered).toBeNull();
    expect(late.state.since).toEqual(held!.state.since);
    // The next current reading completes the duration at its own time.
    const next = evaluate(r, site('pump'), late.state, reading('h2s', 25, T0 + 6000));
    expect(next.triggered).toMatchObject({ severity: 'major', ts: T0 + 6000 });
  });

  it('durations inside a late batch count by its own timestamps', () => {
    const r = rule([{ severity: 'warning', when: { type: 'threshold', metric: 'h2s', op: 'gte', value: 10, for_minutes: 5 } }]);
    const [now] = feed(r, site('pump'), [reading('h2s', 1, T0 + 60 * MIN)]);
    const short = evaluate(r, site('pump'), now!.state, { readings: [0, 2, 4].map((m) => ({ metric: 'h2s', ts: T0 + m * MIN, value: 12 })), nowMs: T0 + 61 * MIN });
    expect(short.triggered).toBeNull();
    const long = evaluate(r, site('pump'), now!.state, { readings: [0, 3, 6].map((m) => ({ metric: 'h2s', ts: T0 + m * MIN, value: 12 })), nowMs: T0 + 61 * MIN });
    expect(long.triggered).toMatchObject({ severity: 'warning', ts: T0 + 6 * MIN });
  });
});

describe('default rules', () => {
  it('are valid rule definitions', () => {
    for (const r of DEFAULT_RULES) expect(ruleDefinitionSchema.safeParse(r.definition).success, r.id).toBe(true);
    expect(new Set(DEFAULT_RULES.map((r) => r.id)).size).toBe(DEFAULT_RULES.length);
  });

  const level = (id: string, s: SiteContext, readings: Record<string, number>): string | null =>
    evaluate(def(id), s, emptyState(), { readings: Object.entries(readings).map(([metric, value]) => ({ metric, ts: T0, value })), nowMs: T0 }).level;

  it('gas pressure outside the band for a minute', () => {
    const s = site('gas_point', { pressure_band_kpa: [1.5, 10] });
    const outs = feed(def('gas-pressure'), s, [reading('pressure_kpa', 12, T0), reading('pressure_kpa', 12, T0 + MIN)]);
    expect(outs.map((o) => o.level)).toEqual([null, 'major']);
  });

  it('household CO at 50 and 150 ppm', () => {
    expect(level('gas-household-co', site('gas_point'), { co_ppm: 49 })).toBeNull();
    expect(level('gas-household-co', site('gas_point'), { co_ppm: 50 })).toBe('warning');
    expect(level('gas-household-co', site('gas_point'), { co_ppm: 150 })).toBe('critical');
  });

  it('pump station level against its own high and overflow levels, pump faults and H2S', () => {
    const s = site('pump_station', { high_level_m: 3, overflow_level_m: 4 });
    expect(level('pump-level', s, { wet_well_level_m: 2.9 })).toBeNull();
    expect(level('pump-level', s, { wet_well_level_m: 3 })).toBe('major');
    expect(level('pump-level', s, { wet_well_level_m: 4.1 })).toBe('critical');
    expect(level('pump-fault', s, { pump_fault: 1 })).toBe('major');
    expect(level('pump-fault', s, { pump_fault: 0 })).toBeNull();
    const h2s = feed(def('pump-h2s'), s, [reading('h2s_ppm', 25, T0), reading('h2s_ppm', 25, T0 + 2 * MIN)]);
    expect(h2s.map((o) => o.level)).toEqual([null, 'major']);
  });

  it('effluent exceedance, water class against target and hourly AQI are derived', () => {
    const e = evaluate(def('wwtp-effluent'), site('wwtp'), emptyState(), { derived: { effluent_exceedances: 2 }, nowMs: T0 });
    expect(e.level).toBe('major');
    expect(evaluate(def('wwtp-effluent'), site('wwtp'), emptyState(), { derived: { effluent_exceedances: 0 }, nowMs: T0 }).level).toBeNull();
    const aqi = (v: number): string | null => evaluate(def('air-aqi'), site('air'), emptyState(), { derived: { hourly_aqi: v }, nowMs: T0 }).level;
    expect([aqi(100), aqi(101), aqi(200), aqi(201)]).toEqual([null, 'minor', 'minor', 'major']);
    const river = feed(def('river-class'), site('river'), [{ derived: { water_grade_over_target: 1 }, nowMs: T0 }, { derived: { water_grade_over_target: 1 }, nowMs: T0 + 30 * MIN }]);
    expect(river.map((o) => o.level)).toEqual([null, 'minor']);
  });

  it('vessels at sea in wind at the port’s limit (major) and force 8 (critical)', () => {
    const s = site('fishing_port', { small_vessel_wind_limit: 6 });
    expect(level('port-gale', s, { wind_level: 6, vessels_at_sea: 0 })).toBeNull();
    expect(level('port-gale', s, { wind_level: 5, vessels_at_sea: 10 })).toBeNull();
    expect(level('port-gale', s, { wind_level: 6, vessels_at_sea: 10 })).toBe('major');
    expect(level('port-gale', s, { wind_level: 8, vessels_at_sea: 1 })).toBe('critical');
  });

  it('an inspection hazard not rectified in 7 days', () => {
    const s = site('fishing_port');
    const failed = { ts: T0, type: 'inspection', data: { vessel: 'v1', result: 'fail', hazards: ['ais', 'lifejackets'] } };
    const outs = feed(def('port-hazard'), s, [
      { events: [failed], nowMs: T0 },
      { nowMs: T0 + 6 * 86_400_000 },
      { events: [{ ts: T0 + 6.5 * 86_400_000, type: 'rectified', data: { vessel: 'v1', hazard: 'ais' } }], nowMs: T0 + 6.5 * 86_400_000 },
      { nowMs: T0 + 7 * 86_400_000 },
      { events: [{ ts: T0 + 7.5 * 86_400_000, type: 'rectified', data: { vessel: 'v1', hazard: 'lifejackets' } }], nowMs: T0 + 7.5 * 86_400_000 },
    ]);
    expect(outs.map((o) => o.level)).toEqual([null, null, null, 'major', null]);
  });

  it('e-bike shed: smoke or 80 °C critical, 60 °C major, cleared below 55 °C without smoke', () => {
    const s = site('ebike_charging');
    expect(level('ebike-fire', s, { smoke: 1, temp_c: 20 })).toBe('critical');
    expect(level('ebike-fire', s, { smoke: 0, temp_c: 80 })).toBe('critical');
    expect(level('ebike-fire', s, { smoke: 0, temp_c: 60 })).toBe('major');
    const outs = feed(def('ebike-fire'), s, [
      { readings: [{ metric: 'smoke', ts: T0, value: 0 }, { metric: 'temp_c', ts: T0, value: 62 }], nowMs: T0 },
      reading('temp_c', 57, T0 + MIN),
      reading('temp_c', 54, T0 + 2 * MIN),
    ]);
    expect(outs.map((o) => o.level)).toEqual(['major', 'major', null]);
  });

  it('every kind has a silence rule of three intervals', () => {
    for (const kind of ['air', 'pump_station', 'wwtp', 'river', 'seawater', 'gas_point', 'fishing_port', 'ebike_charging']) {
      const r = DEFAULT_RULES.find((x) => x.kind === kind && x.id.endsWith('-silent'))!;
      expect(evaluate(r.definition, site(kind, {}, 60), emptyState(), { nowMs: T0 + 181_000, lastSeenMs: T0 }).level).toBe('warning');
    }
  });
});

describe('rule definitions from the API', () => {
  it('refuses a deeply nested definition before walking it', () => {
    let when: Record<string, unknown> = { type: 'threshold', metric: 'm', op: 'gt', value: 1 };
    for (let i = 0; i < 5000; i++) when = { type: 'all', of: [when] };
    const r = ruleDefinitionSchema.safeParse({ title: { zh: 'x', en: 'x' }, levels: [{ severity: 'major', when }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/nest at most/);
    expect(jsonDepth({ a: [{ b: 1 }] })).toBe(3);
  });
});

const ev = (type: string, data: Record<string, unknown>, ts: number, nowMs = ts): EvaluationInput => ({ events: [{ type, data, ts }], nowMs });

describe('device alarm events', () => {
  const windowed = rule([
    { severity: 'critical', when: { type: 'event', event: 'alarm', where: { field: 'level', op: 'gte', value: 2 }, window_minutes: 5 } },
    { severity: 'major', when: { type: 'event', event: 'alarm', where: { field: 'level', op: 'gte', value: 1 }, window_minutes: 5 } },
  ]);

  it('an alarm event holds at once, for its window after the newest matching one, then clears', () => {
    const outs = feed(windowed, site('x'), [ev('alarm', { level: 1 }, T0), { nowMs: T0 + 4 * MIN }, ev('alarm', { level: 2 }, T0 + 4 * MIN), { nowMs: T0 + 8 * MIN }, { nowMs: T0 + 9 * MIN }]);
    expect(outs.map((o) => o.level)).toEqual(['major', 'major', 'critical', 'critical', null]);
    expect(outs[0]!.triggered).toMatchObject({ severity: 'major', ts: T0, events: [{ type: 'alarm', data: { level: 1 } }] });
    expect(outs[4]!.cleared).toBe(true);
    expect(holdsDeviceAlarm(outs[3]!.state)).toBe(true);
    expect(holdsDeviceAlarm(outs[4]!.state)).toBe(false);
  });

  it('ignores other event types and data that do not match', () => {
    const s = site('x');
    expect(evaluate(windowed, s, emptyState(), ev('other', { level: 2 }, T0)).level).toBeNull();
    expect(evaluate(windowed, s, emptyState(), ev('alarm', { level: 0 }, T0)).level).toBeNull();
    expect(evaluate(windowed, s, emptyState(), ev('alarm', { level: '2' }, T0)).level).toBeNull();
    expect(evaluate(windowed, s, emptyState(), ev('alarm', {}, T0)).triggered).toBeNull();
  });

  it('each where operator', () => {
    for (const [op, expected] of [['gte', true], ['gt', false], ['lte', true], ['lt', false], ['eq', true]] as const) {
      const r = rule([{ severity: 'major', when: { type: 'event', event: 'a', where: { field: 'v', op, value: 3 }, window_minutes: 1 } }]);
      expect(evaluate(r, site('x'), emptyState(), ev('a', { v: 3 }, T0)).level, op).toBe(expected ? 'major' : null);
    }
  });

  it('a fault held until the same part recovers, per key', () => {
    const r = rule([{ severity: 'major', when: { type: 'event', event: 'fault', until: 'recovered', key: 'pump' } }]);
    const outs = feed(r, site('pump'), [
      ev('fault', { pump: 1 }, T0),
      ev('fault', { pump: 2 }, T0 + MIN),
      ev('recovered', { pump: 1 }, T0 + 2 * MIN),
      { nowMs: T0 + 600 * MIN },
      ev('recovered', { pump: 2 }, T0 + 601 * MIN),
    ]);
    expect(outs.map((o) => o.level)).toEqual(['major', 'major', 'major', 'major', null]);
    expect(outs[4]!.cleared).toBe(true);
  });

  it('a recovery older than the fault does not end it; both in one batch are taken in time order', () => {
    const r = rule([{ severity: 'major', when: { type: 'event', event: 'fault', until: 'recovered' } }]);
    const s = site('pump');
    const stale = feed(r, s, [ev('fault', {}, T0), ev('recovered', {}, T0 - MIN)]);
    expect(stale.map((o) => o.level)).toEqual(['major', 'major']);
    const batch = evaluate(r, s, emptyState(), { events: [{ type: 'recovered', data: {}, ts: T0 + 1 }, { type: 'fault', data: {}, ts: T0 }], nowMs: T0 + 2 });
    expect(batch.level).toBeNull();
  });

  it('survives a restart (JSON round trip) and a state saved before events existed', () => {
    const first = evaluate(windowed, site('x'), emptyState(), ev('alarm', { level: 2 }, T0));
    const restored = JSON.parse(JSON.stringify(first.state)) as RuleState;
    expect(evaluate(windowed, site('x'), restored, { nowMs: T0 + MIN }).level).toBe('critical');
    const old = { ...emptyState() } as Partial<RuleState>;
    delete old.events;
    expect(evaluate(windowed, site('x'), old as RuleState, ev('alarm', { level: 1 }, T0)).level).toBe('major');
  });

  it('late readings are judged without the current alarms', () => {
    const r = rule([{ severity: 'critical', when: { type: 'all', of: [{ type: 'threshold', metric: 'm', op: 'gte', value: 1 }, { type: 'event', event: 'alarm', window_minutes: 60 }] } }]);
    const s = site('x');
    const now = feed(r, s, [reading('m', 0, T0), ev('alarm', {}, T0 + MIN)]);
    const late = evaluate(r, s, now[1]!.state, { readings: [{ metric: 'm', ts: T0 - MIN, value: 5 }], nowMs: T0 + 2 * MIN });
    expect(late.triggered).toBeNull();
  });

  it('refuses an event condition that would never end, and bad names', () => {
    const parse = (when: unknown) => ruleDefinitionSchema.safeParse({ title: { zh: 'x', en: 'x' }, levels: [{ severity: 'major', when }] }).success;
    expect(parse({ type: 'event', event: 'gas_alarm' })).toBe(false);
    expect(parse({ type: 'event', event: 'gas_alarm', window_minutes: 0 })).toBe(false);
    expect(parse({ type: 'event', event: 'Gas Alarm', window_minutes: 5 })).toBe(false);
    expect(parse({ type: 'event', event: 'gas_alarm', window_minutes: 5, extra: 1 })).toBe(false);
    expect(parse({ type: 'event', event: 'gas_alarm', where: { field: 'level', op: 'gte', value: 2 }, window_minutes: 5 })).toBe(true);
    expect(parse({ type: 'event', event: 'pump_fault', until: 'pump_recovered', key: 'pump' })).toBe(true);
  });

  it('default rules: the detector’s first and second alarms, pump faults until recovered', () => {
    const gas = feed(def('gas-lel'), site('gas_point'), [ev('gas_alarm', { level: 2 }, T0), reading('ch4_lel_pct', 8, T0 + 30_000), { nowMs: T0 + 6 * MIN }]);
    expect(gas.map((o) => o.level)).toEqual(['critical', 'critical', null]);
    expect(evaluate(def('gas-lel'), site('gas_point'), emptyState(), ev('gas_alarm', { level: 1 }, T0)).level).toBe('major');
    // A reading over the second level keeps it critical after the alarm's window.
    const held = feed(def('gas-lel'), site('gas_point'), [ev('gas_alarm', { level: 1 }, T0), reading('ch4_lel_pct', 55, T0 + MIN), reading('ch4_lel_pct', 25, T0 + 7 * MIN)]);
    expect(held.map((o) => o.level)).toEqual(['major', 'critical', 'major']);
    const pump = feed(def('pump-fault'), site('pump_station'), [ev('pump_fault', { pump: 3, code: 'E07' }, T0), ev('pump_recovered', { pump: 2 }, T0 + MIN), ev('pump_recovered', { pump: 3 }, T0 + 2 * MIN)]);
    expect(pump.map((o) => o.level)).toEqual(['major', 'major', null]);
  });
});

describe('historical data', () => {
  it('is older than five minutes, or than three of the site’s intervals when longer', () => {
    expect(isHistorical(T0, T0 + 5 * MIN, 30)).toBe(false);
    expect(isHistorical(T0, T0 + 5 * MIN + 1, 30)).toBe(true);
    expect(isHistorical(T0, T0 + 10 * MIN, 3600)).toBe(false);
    expect(isHistorical(T0, T0 + 3 * 3600_000 + 1, 3600)).toBe(true);
    expect(isHistorical(T0 + MIN, T0, 30)).toBe(false);
  });
});
