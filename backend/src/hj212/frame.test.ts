import { describe, expect, it } from 'vitest';
import { ackFrame, buildFrame, crc16, parsePacket, takeFrame } from './frame.js';
import { convertPacket, parseDataTime } from './mapping.js';

const SAMPLE = 'QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&';

describe('HJ 212 frames', () => {
  it('matches the standard’s check example: length 0101, CRC 1C80', () => {
    expect(Buffer.byteLength(SAMPLE)).toBe(101);
    expect(crc16(Buffer.from(SAMPLE)).toString(16).toUpperCase()).toBe('1C80');
    expect(buildFrame(SAMPLE).toString()).toBe(`##0101${SAMPLE}1C80\r\n`);
  });

  it('takes whole frames off a stream, waits for partial ones and drops garbage', () => {
    const f = buildFrame(SAMPLE);
    expect(takeFrame(f.subarray(0, 50))).toEqual({ ok: null });
    expect(takeFrame(Buffer.concat([f, f.subarray(0, 10)]))).toEqual({ ok: true, data: SAMPLE, consumed: f.length });
    const junk = takeFrame(Buffer.concat([Buffer.from('xyz'), f]));
    expect(junk).toMatchObject({ ok: false, consumed: 3 });
    // Garbage with no header is dropped whole (one dead letter), keeping only a trailing '#'.
    expect(takeFrame(Buffer.from('garbage'))).toMatchObject({ ok: false, reason: 'no frame header', consumed: 7 });
    expect(takeFrame(Buffer.from('garbage#'))).toMatchObject({ ok: false, consumed: 7 });
    expect(takeFrame(Buffer.from('#'))).toEqual({ ok: null });
    expect(takeFrame(Buffer.alloc(0))).toEqual({ ok: null });
  });

  it('refuses a wrong CRC, a bad length and an oversized segment', () => {
    const bad = Buffer.from(buildFrame(SAMPLE).toString().replace('1C80', '1C81'));
    expect(takeFrame(bad)).toMatchObject({ ok: false, reason: expect.stringContaining('CRC') });
    expect(takeFrame(Buffer.from('##12ab'))).toMatchObject({ ok: false, reason: expect.stringContaining('length') });
    expect(takeFrame(Buffer.from('##2000'))).toMatchObject({ ok: false, reason: expect.stringContaining('at most 1024') });
  });

  it('parses the data segment and answers with CN=9014', () => {
    const p = parsePacket(SAMPLE);
    if (typeof p === 'string') throw new Error(p);
    expect(p).toMatchObject({ qn: '20160801085857223', st: '32', cn: '1062', mn: '010000A8900016F000169DC0', flag: 5 });
    expect(p.cp.get('RtdInterval')).toBe('30');
    const ack = takeFrame(ackFrame(p));
    expect(ack).toMatchObject({ ok: true, data: 'QN=20160801085857223;ST=91;CN=9014;PW=100000;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&' });
    expect(parsePacket('QN=1;CN=2011')).toBe('no CP=&&…&& segment');
  });
});

describe('HJ 212 data → wwtp readings', () => {
  const packet = (cn: string, cp: string, flag = 5) => {
    const p = parsePacket(`QN=20261127101500000;ST=32;CN=${cn};PW=123456;MN=X;Flag=${flag};CP=&&${cp}&&`);
    if (typeof p === 'string') throw new Error(p);
    return p;
  };

  it('maps codes, converts flow from L/s to m³/h, reads DataTime in the district’s time, carries the flag of non-N values', () => {
    const r = convertPacket(packet('2011', 'DataTime=20261127101500;w01018-Rtd=25.3,w01018-Flag=N;w00000-Rtd=10,w00000-Flag=N;w21003-Rtd=1.2,w21003-Flag=M;w99999-Rtd=4'), 480);
    if (typeof r === 'string') throw new Error(r);
    expect(r.ts).toBe(Date.parse('2026-11-27T10:15:00+08:00'));
    expect(r.values).toEqual({ cod_mgl: 25.3, flow_m3h: 36, nh3n_mgl: 1.2 });
    expect(r.flags).toEqual({ nh3n_mgl: 'M' });
    expect(r.unknown).toEqual(['w99999']);
  });

  it('uses -Avg for minute, hourly and daily data', () => {
    const r = convertPacket(packet('2061', 'DataTime=20261127100000;w01018-Avg=30,w01018-Rtd=99,w01018-Flag=N'), 480);
    expect(typeof r !== 'string' && r.values).toEqual({ cod_mgl: 30 });
  });

  it('declares an hour for hourly data and a day for daily data; real-time and minute data declare no period', () => {
    const period = (cn: string): number | undefined => {
      const r = convertPacket(packet(cn, 'DataTime=20261127100000;w01018-Avg=30;w01018-Rtd=30'), 480);
      if (typeof r === 'string') throw new Error(r);
      return r.periodS;
    };
    expect(period('2061')).toBe(3600);
    expect(period('2031')).toBe(86_400);
    expect(period('2051')).toBeUndefined();
    expect(period('2011')).toBeUndefined();
  });

  it('refuses what it cannot use', () => {
    expect(convertPacket(packet('9014', 'DataTime=20261127101500'), 480)).toMatch(/no monitoring data/);
    expect(convertPacket(packet('2011', 'w01018-Rtd=1'), 480)).toMatch(/DataTime/);
    expect(convertPacket(packet('2011', 'DataTime=20261127101500;w01018-Rtd=abc'), 480)).toMatch(/not a number/);
    expect(convertPacket(packet('2011', 'DataTime=20261127101500;w01018-Rtd=1', 7), 480)).toMatch(/only part of a message/);
    expect(parseDataTime('20260230101500', 480)).toBeNull();
  });
});
