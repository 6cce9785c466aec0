import { isStorableText } from '@tidewatch/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFrame, parsePacket, takeFrame, type Packet } from './frame.js';
import { CODE_TO_METRIC, convertPacket } from './mapping.js';

/** Inputs per property; each parser meets RUNS × its properties = 100,000 inputs. */
const RUNS = 50_000;

// Pieces that matter to the parsers: separators, NUL, lone surrogates, numbers at and past the edges.
const tricky = fc.constantFrom(
  ';', ',', '=', '&&', '&', 'CP=&&', '##', '\r\n', '\u0000', '\uD800', '\uDC00', '\uFFFF', '-Rtd', '-Avg', '-Flag', 'N',
  '1e308', '-1e308', '1e400', '1.7976931348623157e308', 'NaN', 'Infinity', '0x10', '9'.repeat(40), ' ', '',
);
const text = fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), tricky), { maxLength: 12 }).map((parts) => parts.join(''));

const code = fc.oneof(fc.constantFrom(...Object.keys(CODE_TO_METRIC)), fc.constantFrom('w99999', 'a01001'), text);
const cpKey = fc.oneof(
  fc.tuple(code, fc.constantFrom('-Rtd', '-Avg', '-Flag', '-ZsRtd', '')).map(([c, f]) => c + f),
  fc.constantFrom('DataTime', 'RtdInterval'),
  text,
);
const number = fc.oneof(fc.double().map(String), fc.integer().map(String), fc.constantFrom('1e308', '-1e308', '1e400', '4.9e-324', '', ' ', '+', '-0'));
const dataTime = fc.oneof(
  fc.date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 19).replace(/[-T:]/g, '').padStart(14, '0')),
  fc.stringMatching(/^\d{14}$/),
  text,
);
const cpItem = fc.oneof(
  fc.tuple(cpKey, fc.oneof(number, fc.constantFrom('N', 'C', 'D', '\u0000'), text)).map(([k, v]) => `${k}=${v}`),
  dataTime.map((t) => `DataTime=${t}`),
  text,
);
const cp = fc.array(fc.array(cpItem, { maxLength: 4 }).map((g) => g.join(',')), { maxLength: 5 }).map((groups) => groups.join(';'));
const headValue = fc.oneof(text, number, fc.constantFrom('2011', '2051', '2061', '2031', '9014', '123456', '010000A8900016F000169DC0'));
const head = fc
  .array(fc.tuple(fc.constantFrom('QN', 'ST', 'CN', 'PW', 'MN', 'Flag', 'PNUM', 'PNO', ''), headValue), { maxLength: 10 })
  .map((fields) => fields.map(([k, v]) => `${k}=${v}`).join(';'));
/** Data segments shaped like packets, with anything in their fields. */
const segment = fc.tuple(head, cp, fc.constantFrom(';CP=&&', ';CP=&', 'CP=&&', ';'), fc.constantFrom('&&', '&', '')).map(([h, c, open, close]) => `${h}${open}${c}${close}`);

function wellFormedFrame(buf: Buffer, r: ReturnType<typeof takeFrame>): void {
  if (r.ok === null) return;
  // Every answer but "more bytes" consumes something, so a receive loop always advances.
  expect(r.consumed).toBeGreaterThan(0);
  expect(r.consumed).toBeLessThanOrEqual(buf.length);
  if (r.ok) expect(typeof r.data).toBe('string');
  else expect(typeof r.reason).toBe('string');
}

function wellFormedPacket(p: Packet | string): p is Packet {
  if (typeof p === 'string') return false;
  expect(Number.isInteger(p.flag)).toBe(true);
  expect(p.cp).toBeInstanceOf(Map);
  // Nothing a stored text or a dead letter could choke on reaches the rest of the gateway.
  for (const t of [p.qn, p.st, p.cn, p.pw, p.mn, ...p.cp.keys(), ...p.cp.values()]) if (t !== undefined) expect(isStorableText(t)).toBe(true);
  return true;
}

function wellFormedConversion(p: Packet): void {
  const c = convertPacket(p, 480);
  if (typeof c === 'string') return;
  expect(Number.isFinite(c.ts)).toBe(true);
  expect(Number.isFinite(new Date(c.ts).getTime())).toBe(true);
  const metrics = new Set(Object.values(CODE_TO_METRIC).map((m) => m.metric));
  for (const [metric, value] of Object.entries(c.values)) {
    expect(metrics.has(metric)).toBe(true);
    expect(Number.isFinite(value)).toBe(true);
  }
  for (const metric of Object.keys(c.flags)) expect(c.values).toHaveProperty(metric);
}

describe('HJ 212 parsers under fuzzing', () => {
  it('takeFrame: any bytes, and streams of them, give a well-formed answer and always advance', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1200 }), fc.boolean(), (bytes, withHeader) => {
        let buf = Buffer.from(bytes);
        if (withHeader) buf = Buffer.concat([Buffer.from(`##${String(bytes.length % 1100).padStart(4, '0')}`), buf]);
        for (let i = 0; i < 64; i++) {
          const r = takeFrame(buf);
          wellFormedFrame(buf, r);
          if (r.ok === null) break;
          buf = buf.subarray(r.consumed);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('takeFrame: frames with a valid CRC around any data are taken whole', () => {
    fc.assert(
      fc.property(fc.oneof(segment, text), (data) => {
        const frame = buildFrame(data);
        const r = takeFrame(Buffer.concat([frame, frame.subarray(0, 7)]));
        wellFormedFrame(frame, r);
        if (Buffer.byteLength(data) > 1024) expect(r.ok).toBe(false);
        else expect(r).toEqual({ ok: true, data: Buffer.from(data).toString('utf8'), consumed: frame.length });
      }),
      { numRuns: RUNS },
    );
  });

  it('parsePacket: any text gives a reason or a packet with storable fields', () => {
    fc.assert(fc.property(text, (data) => void wellFormedPacket(parsePacket(data))), { numRuns: RUNS });
  });

  it('parsePacket and convertPacket: packet-shaped segments give a reason or finite readings of known metrics', () => {
    fc.assert(
      fc.property(segment, (data) => {
        const p = parsePacket(data);
        if (wellFormedPacket(p)) wellFormedConversion(p);
      }),
      { numRuns: RUNS },
    );
  });

  it('convertPacket: any packet gives a reason or finite readings of known metrics', () => {
    const packet = fc.record({
      qn: fc.option(text, { nil: undefined }),
      st: fc.option(text, { nil: undefined }),
      cn: fc.oneof(fc.constantFrom('2011', '2051', '2061', '2031'), fc.option(text, { nil: undefined })),
      pw: fc.option(text, { nil: undefined }),
      mn: fc.option(text, { nil: undefined }),
      flag: fc.oneof(fc.integer({ min: 0, max: 7 }), fc.integer()),
      cp: fc.array(fc.oneof(fc.tuple(cpKey, fc.oneof(number, text)), dataTime.map((t) => ['DataTime', t] as [string, string])), { maxLength: 12 }).map((items) => new Map(items)),
    });
    fc.assert(fc.property(packet, (p) => wellFormedConversion(p)), { numRuns: RUNS });
  });
});
