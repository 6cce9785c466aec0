/**
 * HJ 212-2017 frames (docs/standards.md §9): `##` + 4-digit decimal length of the data segment +
 * data segment + CRC (4 hex digits) + CRLF. Pure functions: parse, check, build.
 */

import { isStorableText } from '@tidewatch/contracts';

export const MAX_DATA_BYTES = 1024;

/** CRC16 of HJ 212 (not Modbus): init 0xFFFF, crc = (crc >> 8) ^ byte, then 8 shifts with 0xA001. */
export function crc16(data: Buffer): number {
  let crc = 0xffff;
  for (const byte of data) {
    crc = (crc >> 8) ^ byte;
    for (let i = 0; i < 8; i++) {
      const lsb = crc & 1;
      crc >>= 1;
      if (lsb) crc ^= 0xa001;
    }
  }
  return crc;
}

export function buildFrame(data: string): Buffer {
  const body = Buffer.from(data, 'utf8');
  const crc = crc16(body).toString(16).toUpperCase().padStart(4, '0');
  return Buffer.concat([Buffer.from(`##${String(body.length).padStart(4, '0')}`), body, Buffer.from(`${crc}\r\n`)]);
}

export type FrameResult = { ok: true; data: string; consumed: number } | { ok: false; reason: string; consumed: number } | { ok: null };

/**
 * Takes the first frame off a receive buffer. `ok: null` means more bytes are needed;
 * `consumed` says how many bytes to drop (garbage before `##` is dropped with the error).
 */
export function takeFrame(buf: Buffer): FrameResult {
  const start = buf.indexOf('##');
  if (start === -1) {
    // Keep a trailing '#' only: it may be the first half of a header split across reads.
    const keep = buf.length > 0 && buf[buf.length - 1] === 0x23 ? 1 : 0;
    return buf.length - keep > 0 ? { ok: false, reason: 'no frame header', consumed: buf.length - keep } : { ok: null };
  }
  if (start > 0) return { ok: false, reason: `${start} bytes before the frame header`, consumed: start };
  if (buf.length < 6) return { ok: null };
  const lenText = buf.subarray(2, 6).toString('latin1');
  if (!/^\d{4}$/.test(lenText)) return { ok: false, reason: `bad length field ${JSON.stringify(lenText)}`, consumed: 2 };
  const len = Number(lenText);
  if (len > MAX_DATA_BYTES) return { ok: false, reason: `data segment of ${len} bytes; at most ${MAX_DATA_BYTES}`, consumed: 2 };
  const total = 6 + len + 4 + 2;
  if (buf.length < total) return { ok: null };
  const data = buf.subarray(6, 6 + len);
  const crcText = buf.subarray(6 + len, 10 + len).toString('latin1');
  if (buf.subarray(10 + len, total).toString('latin1') !== '\r\n') return { ok: false, reason: 'frame does not end with CRLF', consumed: total };
  if (!/^[0-9A-Fa-f]{4}$/.test(crcText) || Number.parseInt(crcText, 16) !== crc16(data)) {
    return { ok: false, reason: `CRC ${crcText} does not match ${crc16(data).toString(16).toUpperCase().padStart(4, '0')}`, consumed: total };
  }
  return { ok: true, data: data.toString('utf8'), consumed: total };
}

export interface Packet {
  qn: string | undefined;
  st: string | undefined;
  cn: string | undefined;
  pw: string | undefined;
  mn: string | undefined;
  flag: number;
  /** Split packets (Flag bit 1): the number of parts and this part's number, from 1. */
  pnum?: number;
  pno?: number;
  /** CP items: key → value (e.g. `w01018-Rtd` → `25.3`). */
  cp: Map<string, string>;
}

/** Splits a data segment `QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;CP=&&…&&` into its fields. */
export function parsePacket(data: string): Packet | string {
  // No monitor sends these; refused here, no MN, PW, QN or item name downstream can hold one.
  if (!isStorableText(data)) return 'data segment holds a NUL character or an unpaired surrogate';
  const cpStart = data.indexOf('CP=&&');
  if (cpStart === -1 || !data.endsWith('&&')) return 'no CP=&&…&& segment';
  const head = new Map<string, string>();
  for (const part of data.slice(0, cpStart).split(';')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return `bad field ${JSON.stringify(part.slice(0, 40))}`;
    head.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const cp = new Map<string, string>();
  const body = data.slice(cpStart + 5, -2);
  for (const group of body.split(';')) {
    for (const item of group.split(',')) {
      if (!item) continue;
      const eq = item.indexOf('=');
      if (eq <= 0) return `bad CP item ${JSON.stringify(item.slice(0, 40))}`;
      cp.set(item.slice(0, eq), item.slice(eq + 1));
    }
  }
  const flag = Number(head.get('Flag') ?? '0');
  if (!Number.isInteger(flag)) return 'bad Flag';
  const packet: Packet = { qn: head.get('QN'), st: head.get('ST'), cn: head.get('CN'), pw: head.get('PW'), mn: head.get('MN'), flag, cp };
  if (head.has('PNUM')) packet.pnum = Number(head.get('PNUM'));
  if (head.has('PNO')) packet.pno = Number(head.get('PNO'));
  return packet;
}

/** The data acknowledgement (CN=9014) for a packet that asked for one (Flag bit 0). */
export function ackFrame(p: Packet): Buffer {
  return buildFrame(`QN=${p.qn ?? ''};ST=91;CN=9014;PW=${p.pw ?? ''};MN=${p.mn ?? ''};Flag=4;CP=&&&&`);
}
