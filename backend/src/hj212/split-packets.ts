/**
 * HJ 212-2017 split packets (Flag bit 1): a message too long for one 1024-byte data segment
 * comes as PNUM packets numbered PNO = 1…PNUM under one QN, each with part of the CP items.
 * This joins them, per connection, within limits of count, size and time. Pure: no I/O.
 */
import type { Packet } from './frame.js';

export const MAX_PARTS = 64;
/** Messages a connection may have half-received at once. */
export const MAX_OPEN_MESSAGES = 16;
/** How long the parts of one message may take to arrive. */
export const PART_WAIT_MS = 60_000;

export type SplitResult =
  | { state: 'complete'; packet: Packet; parts: Packet[] }
  | { state: 'waiting' }
  | { state: 'refused'; reason: string };

interface Open {
  pnum: number;
  parts: Map<number, Packet>;
  firstMs: number;
}

export function isSplit(p: Packet): boolean {
  return (p.flag & 2) !== 0;
}

/** Joins the CP items of the parts; a string when two parts give one item different values. */
function merge(parts: Packet[]): Packet | string {
  const cp = new Map<string, string>();
  for (const p of parts) {
    for (const [k, v] of p.cp) {
      const had = cp.get(k);
      if (had !== undefined && had !== v) return `parts disagree on ${k} (${had} / ${v})`;
      cp.set(k, v);
    }
  }
  const { pnum: _pnum, pno: _pno, ...head } = parts[0]!;
  return { ...head, flag: head.flag & ~2, cp };
}

export class SplitPackets {
  private readonly open = new Map<string, Open>();

  add(p: Packet, nowMs: number): SplitResult {
    const { pnum, pno } = p;
    if (pnum === undefined || pno === undefined || !Number.isInteger(pnum) || !Number.isInteger(pno)) return { state: 'refused', reason: 'split packet without PNUM and PNO' };
    if (pnum < 1 || pnum > MAX_PARTS) return { state: 'refused', reason: `PNUM ${pnum}: 1 to ${MAX_PARTS} parts` };
    if (pno < 1 || pno > pnum) return { state: 'refused', reason: `PNO ${pno} outside 1…${pnum}` };
    if (!p.qn) return { state: 'refused', reason: 'split packet without QN' };
    const key = `${p.mn ?? ''}|${p.cn ?? ''}|${p.qn}`;
    let msg = this.open.get(key);
    if (!msg) {
      if (this.open.size >= MAX_OPEN_MESSAGES) return { state: 'refused', reason: `more than ${MAX_OPEN_MESSAGES} split messages open at once` };
      msg = { pnum, parts: new Map(), firstMs: nowMs };
      this.open.set(key, msg);
    }
    if (msg.pnum !== pnum) {
      this.open.delete(key);
      return { state: 'refused', reason: `parts of QN ${p.qn} disagree on PNUM (${msg.pnum} / ${pnum})` };
    }
    msg.parts.set(pno, p); // a repeated part replaces the earlier copy
    if (msg.parts.size < pnum) return { state: 'waiting' };
    this.open.delete(key);
    const parts = [...msg.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, part]) => part);
    const merged = merge(parts);
    return typeof merged === 'string' ? { state: 'refused', reason: merged } : { state: 'complete', packet: merged, parts };
  }

  /** Messages whose parts stopped coming: removed, each with what arrived. */
  expire(nowMs: number): { qn: string; received: number; pnum: number; parts: Packet[] }[] {
    const out: { qn: string; received: number; pnum: number; parts: Packet[] }[] = [];
    for (const [key, msg] of this.open) {
      if (nowMs - msg.firstMs < PART_WAIT_MS) continue;
      this.open.delete(key);
      out.push({ qn: key.split('|')[2]!, received: msg.parts.size, pnum: msg.pnum, parts: [...msg.parts.values()] });
    }
    return out;
  }

  get openCount(): number {
    return this.open.size;
  }
}
