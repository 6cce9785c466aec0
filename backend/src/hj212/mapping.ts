import type { Packet } from './frame.js';

/** HJ 212 pollutant codes of the wastewater online monitors → the `wwtp` metrics. */
export const CODE_TO_METRIC: Record<string, { metric: string; scale: number }> = {
  w00000: { metric: 'flow_m3h', scale: 3.6 }, // L/s → m³/h
  w01001: { metric: 'ph', scale: 1 },
  w01018: { metric: 'cod_mgl', scale: 1 },
  w21003: { metric: 'nh3n_mgl', scale: 1 },
  w21001: { metric: 'tn_mgl', scale: 1 },
  w21011: { metric: 'tp_mgl', scale: 1 },
  w01012: { metric: 'ss_mgl', scale: 1 },
  w01010: { metric: 'water_temp_c', scale: 1 },
};

/** Which value of a code a command carries: real-time data the `-Rtd`, minute/hourly/daily data the `-Avg`. */
const FIELD_BY_CN: Record<string, string> = { '2011': 'Rtd', '2051': 'Avg', '2061': 'Avg', '2031': 'Avg' };

/**
 * The seconds a command's values average, as the telemetry field `period_s` carries them:
 * hourly data (CN 2061) an hour from DataTime, daily data (CN 2031) a day. Real-time data
 * (2011) and minute data (2051, whose interval the data logger sets) declare none: they stand
 * for the site's reporting interval, which the hub learns from their times.
 */
const PERIOD_BY_CN: Record<string, number> = { '2061': 3600, '2031': 86_400 };

export interface Converted {
  ts: number;
  /** The averaging period in seconds, where the command fixes it. */
  periodS?: number;
  /** Every mapped value, flagged or not. */
  values: Record<string, number>;
  /** The `-Flag` of each value flagged other than N, as the telemetry field `flags` carries it. */
  flags: Record<string, string>;
  /** Codes Tidewatch does not map. */
  unknown: string[];
}

/** `YYYYMMDDhhmmss` in the district's local time (a fixed offset, minutes east of UTC) → epoch ms. */
export function parseDataTime(text: string, offsetMinutes: number): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - offsetMinutes * 60_000;
  const check = new Date(ms + offsetMinutes * 60_000);
  return check.getUTCMonth() === mo! - 1 && check.getUTCDate() === d! ? ms : null;
}

/** Turns a data packet into readings; a string when the packet cannot be used. */
export function convertPacket(p: Packet, offsetMinutes: number): Converted | string {
  const field = p.cn ? FIELD_BY_CN[p.cn] : undefined;
  if (!field) return `command CN=${p.cn ?? '?'} carries no monitoring data`;
  if ((p.flag & 2) !== 0) return 'a split packet (Flag bit 1) is only part of a message: join the parts first';
  const dt = p.cp.get('DataTime');
  const ts = dt ? parseDataTime(dt, offsetMinutes) : null;
  if (ts === null) return `bad or missing DataTime ${JSON.stringify(dt ?? '')}`;
  const out: Converted = { ts, values: {}, flags: {}, unknown: [] };
  const periodS = PERIOD_BY_CN[p.cn!];
  if (periodS !== undefined) out.periodS = periodS;
  for (const [key, raw] of p.cp) {
    const m = /^([a-z]\d{5})-(\w+)$/.exec(key);
    if (!m || m[2] !== field) continue;
    const code = m[1]!;
    const map = CODE_TO_METRIC[code];
    if (!map) {
      out.unknown.push(code);
      continue;
    }
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) return `${key}=${JSON.stringify(raw)} is not a number`;
    const flag = p.cp.get(`${code}-Flag`) ?? 'N';
    const scaled = Math.round(value * map.scale * 1e6) / 1e6;
    if (!Number.isFinite(scaled)) return `${key}=${JSON.stringify(raw)} is too large`;
    out.values[map.metric] = scaled;
    if (flag !== 'N') out.flags[map.metric] = flag;
  }
  return out;
}
