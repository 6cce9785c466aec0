import { describe, expect, it } from 'vitest';
import { parsePacket, type Packet } from './frame.js';
import { MAX_OPEN_MESSAGES, PART_WAIT_MS, SplitPackets } from './split-packets.js';

const part = (pno: number, cp: string, { pnum = 3, qn = '20261127101500000', flag = 7 } = {}): Packet => {
  const p = parsePacket(`QN=${qn};ST=32;CN=2011;PW=1;MN=M1;Flag=${flag};PNUM=${pnum};PNO=${pno};CP=&&${cp}&&`);
  if (typeof p === 'string') throw new Error(p);
  return p;
};

describe('HJ 212 split packets', () => {
  it('reads PNUM and PNO from the header', () => {
    expect(part(2, 'DataTime=20261127101500')).toMatchObject({ pnum: 3, pno: 2, flag: 7 });
  });

  it('joins the parts of a message in any order into one packet with all its items', () => {
    const s = new SplitPackets();
    expect(s.add(part(2, 'DataTime=20261127101500;w21003-Rtd=1.2,w21003-Flag=N'), 0)).toEqual({ state: 'waiting' });
    expect(s.add(part(3, 'DataTime=20261127101500;w00000-Rtd=700,w00000-Flag=N'), 10)).toEqual({ state: 'waiting' });
    const r = s.add(part(1, 'DataTime=20261127101500;w01018-Rtd=24.6,w01018-Flag=N'), 20);
    if (r.state !== 'complete') throw new Error(r.state);
    expect(r.packet.flag).toBe(5); // bit 1 cleared: a whole message now
    expect(r.packet.pnum).toBeUndefined();
    expect(Object.fromEntries(r.packet.cp)).toEqual({ DataTime: '20261127101500', 'w01018-Rtd': '24.6', 'w01018-Flag': 'N', 'w21003-Rtd': '1.2', 'w21003-Flag': 'N', 'w00000-Rtd': '700', 'w00000-Flag': 'N' });
    expect(r.parts.map((p) => p.pno)).toEqual([1, 2, 3]);
    expect(s.openCount).toBe(0);
  });

  it('keeps messages apart by QN, and a repeated part does not count twice', () => {
    const s = new SplitPackets();
    s.add(part(1, 'a=1', { pnum: 2, qn: 'A' }), 0);
    s.add(part(1, 'a=1', { pnum: 2, qn: 'A' }), 1);
    s.add(part(1, 'b=1', { pnum: 2, qn: 'B' }), 2);
    expect(s.openCount).toBe(2);
    expect(s.add(part(2, 'a2=1', { pnum: 2, qn: 'A' }), 3)).toMatchObject({ state: 'complete' });
    expect(s.openCount).toBe(1);
  });

  it('refuses parts it cannot place, and parts that disagree', () => {
    const s = new SplitPackets();
    expect(s.add(part(4, 'x=1'), 0)).toMatchObject({ state: 'refused', reason: 'PNO 4 outside 1…3' });
    expect(s.add(part(1, 'x=1', { pnum: 65 }), 0)).toMatchObject({ state: 'refused', reason: expect.stringContaining('PNUM 65') });
    expect(s.add(part(1, 'x=1', { qn: '' }), 0)).toMatchObject({ state: 'refused', reason: 'split packet without QN' });
    const bare = parsePacket('QN=1;ST=32;CN=2011;MN=M1;Flag=3;CP=&&x=1&&') as Packet;
    expect(s.add(bare, 0)).toMatchObject({ state: 'refused', reason: 'split packet without PNUM and PNO' });
    s.add(part(1, 'x=1', { pnum: 2, qn: 'Q' }), 0);
    expect(s.add(part(2, 'x=1', { pnum: 3, qn: 'Q' }), 0)).toMatchObject({ state: 'refused', reason: expect.stringContaining('disagree on PNUM') });
    s.add(part(1, 'x=1', { pnum: 2, qn: 'R' }), 0);
    expect(s.add(part(2, 'x=2', { pnum: 2, qn: 'R' }), 0)).toMatchObject({ state: 'refused', reason: 'parts disagree on x (1 / 2)' });
    expect(s.openCount).toBe(0);
  });

  it('limits the messages open at once and expires those whose parts stop coming', () => {
    const s = new SplitPackets();
    for (let i = 0; i < MAX_OPEN_MESSAGES; i++) expect(s.add(part(1, 'x=1', { qn: `Q${i}` }), i)).toEqual({ state: 'waiting' });
    expect(s.add(part(1, 'x=1', { qn: 'one-too-many' }), 0)).toMatchObject({ state: 'refused' });
    expect(s.expire(PART_WAIT_MS - 1)).toEqual([]);
    const gone = s.expire(PART_WAIT_MS + 5);
    expect(gone).toHaveLength(6); // opened at 0…5 ms
    expect(gone[0]).toMatchObject({ qn: 'Q0', received: 1, pnum: 3 });
    expect(s.openCount).toBe(MAX_OPEN_MESSAGES - 6);
  });
});
