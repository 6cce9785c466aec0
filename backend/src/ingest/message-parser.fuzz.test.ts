import { isStorableText, REJECT_REASONS, siteTopic } from '@tidewatch/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadLetterRow } from './ingest.service.js';
import { parseDeviceMessage, type ParseContext } from './message-parser.js';

const NOW = Date.parse('2026-11-28T08:00:00Z');
const ctx: ParseContext = {
  lookupSite: (id) => ({ 'air-a': { key: 1, id: 'air-a', kind: 'air' as const }, 'gas-a': { key: 2, id: 'gas-a', kind: 'gas_point' as const } })[id],
  nowMs: NOW,
  retentionMs: 1825 * 86_400_000,
};

/** Text with the characters that have broken things: NUL, unpaired surrogates, huge numbers, odd separators. */
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', '\uD800', '\uDFFF', 'pm25', 'ch4_lel_pct', '1e400', '-0', 'NaN', '9'.repeat(400), '/', '#', '+', '$SYS'),
);
const value = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e308, -1e308, 0, 5, 40), nasty, fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }));
const ts = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(9e15, 8.64e15, 0, NOW, '2026-02-30T00:00:00Z', '2026-11-28T08:00:00+08:00', '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z'), nasty);
const telemetry = fc.oneof(
  fc.record({ ts, values: fc.dictionary(nasty, value, { maxKeys: 5 }) }, { requiredKeys: ['values'] }),
  fc.record({ readings: fc.array(fc.record({ ts, values: fc.dictionary(nasty, value, { maxKeys: 3 }) }), { maxLength: 5 }) }),
  fc.record({ type: fc.oneof(nasty, fc.constantFrom('gas_alarm', 'inspection', 'departure')), ts, data: fc.dictionary(nasty, value, { maxKeys: 4 }) }),
  fc.jsonValue({ maxDepth: 6 }),
);
const payload = fc.oneof(
  telemetry.map((j) => Buffer.from(JSON.stringify(j) ?? 'null')),
  nasty.map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.integer({ min: 1, max: 2000 }).map((n) => Buffer.from(`{"values":{"pm25":${'['.repeat(n)}1${']'.repeat(n)}}}`)),
);
const topic = fc.oneof(
  fc.constantFrom('air-a', 'gas-a', 'nope-1').chain((id) => fc.constantFrom('telemetry', 'events', 'status').map((ch) => siteTopic(id, ch as 'telemetry'))),
  nasty.map((s) => `tidewatch/v1/sites/${s}/telemetry`),
  nasty,
);

describe('device message parser under fuzzing', () => {
  it('never throws on 100,000 hostile messages; what it keeps is storable and what it refuses has a known reason', () => {
    fc.assert(
      fc.property(topic, payload, (t, p) => {
        const r = parseDeviceMessage(t, p, ctx);
        for (const reading of r.readings) {
          expect(Number.isFinite(reading.value)).toBe(true);
          expect(Number.isFinite(reading.timeMs)).toBe(true);
        }
        for (const rej of r.rejections) {
          expect(REJECT_REASONS).toContain(rej.reason);
          const row = deadLetterRow(NOW, t, rej.reason, rej.detail, p, 4096);
          expect(isStorableText(row.topic) && isStorableText(row.detail) && isStorableText(row.payload)).toBe(true);
        }
        for (const e of r.events) expect(JSON.stringify(e.data)).not.toContain('\\u0000');
      }),
      { numRuns: 100_000 },
    );
  });
});
