import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ruleDefinitionSchema } from '../alerts/rule-model.js';
import { daysBetween, isRealDate } from './district-time.js';
import { unstorableTextIn } from './http-edge.js';
import { decimalId, queryInt, queryTime } from './http-schemas.js';

const RUNS = 100_000;
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('0x10', '1e1', ' 16', '016', '2026-02-30', '9999-12-31', '2026-02-28T24:00:00Z', '1'.repeat(40), '-0', '\u0000', '\uD800'));

describe('HTTP parameter parsers under fuzzing', () => {
  it('decimal ids, query integers, times and dates never throw and accept only what they promise', () => {
    const limit = queryInt(1, 1000, 100);
    fc.assert(
      fc.property(text, (s) => {
        const id = decimalId.safeParse(s);
        if (id.success) expect(Number.isSafeInteger(id.data) && id.data > 0 && String(id.data) === s).toBe(true);
        const n = limit.safeParse(s);
        if (n.success) expect(n.data >= 1 && n.data <= 1000 && String(n.data) === s.replace(/^0+(?=\d)/, '')).toBe(true);
        const t = queryTime.safeParse(s);
        if (t.success) expect(Number.isFinite(t.data.getTime())).toBe(true);
        if (isRealDate(s)) expect(daysBetween(s, s)).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('the unstorable-text check walks any JSON body without throwing', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), text, (body, path) => {
        const where = unstorableTextIn({ path: `/api/${path}`, query: { q: path }, body });
        expect(where === null || typeof where === 'string').toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

/** Condition-shaped values: right and wrong types, nesting, hostile strings. */
const condition = fc.letrec((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ type: fc.constantFrom('threshold', 'band', 'rate', 'no_data', 'derived', 'hazard_unrectified', 'bogus'), metric: fc.oneof(fc.constantFrom('pm25', 'ch4_lel_pct'), text), op: fc.constantFrom('gte', 'gt', 'lt', 'eq', 'xx'), value: fc.oneof(fc.double(), fc.record({ param: text }), text), for_minutes: fc.oneof(fc.double(), fc.integer()), outside: fc.oneof(fc.tuple(fc.double(), fc.double()), fc.double()), intervals: fc.double(), days: fc.double(), change: fc.double(), per_minutes: fc.double(), threshold: fc.double() }, { requiredKeys: ['type'] }),
    fc.record({ type: fc.constantFrom('all', 'any'), of: fc.array(tie('cond'), { maxLength: 3 }) }),
    fc.jsonValue({ maxDepth: 2 }),
  ),
})).cond;

describe('rule definition validator under fuzzing', () => {
  it('never throws on 100,000 definitions, and accepts none deeper than its limit', () => {
    const definition = fc.record({ title: fc.oneof(fc.record({ zh: text, en: text }), fc.jsonValue({ maxDepth: 2 })), levels: fc.array(fc.record({ severity: fc.constantFrom('critical', 'major', 'minor', 'warning', 'fatal'), when: condition }), { maxLength: 3 }), clear: condition }, { requiredKeys: ['levels'] });
    fc.assert(
      fc.property(fc.oneof(definition, fc.jsonValue({ maxDepth: 4 })), (d) => {
        const r = ruleDefinitionSchema.safeParse(d);
        if (r.success) expect(r.data.levels.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
    let deep: unknown = { type: 'no_data', intervals: 1 };
    for (let i = 0; i < 20_000; i++) deep = { type: 'all', of: [deep] };
    expect(ruleDefinitionSchema.safeParse({ title: { zh: 'x', en: 'x' }, levels: [{ severity: 'major', when: deep }] }).success).toBe(false);
  }, 120_000);
});
