import { ALERT_SEVERITIES, type AlertSeverity, type SiteKind, type SiteSnapshot } from '@tidewatch/contracts';

/** One Chinese character per kind on the marker: readable at a glance on the wall screen. */
export const KIND_GLYPH: Record<SiteKind, string> = {
  air: '气',
  pump_station: '泵',
  wwtp: '污',
  river: '河',
  seawater: '海',
  gas_point: '燃',
  fishing_port: '渔',
  ebike_charging: '电',
};

/** The English page's letter per kind (the Chinese page shows the character). */
export const KIND_LETTER: Record<SiteKind, string> = {
  air: 'A',
  pump_station: 'P',
  wwtp: 'W',
  river: 'R',
  seawater: 'S',
  gas_point: 'G',
  fishing_port: 'F',
  ebike_charging: 'E',
};

/** What a marker shows of its site's kind in the page's language. */
export function kindGlyph(kind: SiteKind, lang: string): string {
  return lang === 'zh' ? KIND_GLYPH[kind] : KIND_LETTER[kind];
}

export const STATUS_COLOUR = { normal: '#2e8b57', warning: '#e6a700', alarm: '#c62828', offline: '#7a8593' } as const;

/** A site's marker colour: its status, or for a normal air station its AQI category colour. */
export function markerColour(s: SiteSnapshot): string {
  if (s.status === 'normal' && s.indicator?.type === 'aqi' && s.indicator.category) return s.indicator.category.colour;
  return STATUS_COLOUR[s.status];
}

/** Severity colours, as the alert list draws them. */
export const SEVERITY_COLOUR = { critical: '#c62828', major: '#ef6c00', minor: '#e6a700', warning: '#1976d2' } as const;

export type MarkerShape = 'diamond' | 'square' | 'triangle' | 'circle';

/** How a site's marker looks: one decision for the dashboard and the wall. */
export interface MarkerLook {
  shape: MarkerShape;
  colour: string;
  text: string;
  /** Pulses (critical only): movement, not colour alone, says "act now". */
  pulse: boolean;
  /** The worst open alert's severity, if any. */
  severity: AlertSeverity | null;
  /** Equal for equal looks: the map redraws a marker only when this changes. */
  key: string;
}

/**
 * A site's marker from its worst open alert: critical a pulsing red diamond, major an orange
 * square, minor an amber triangle, warning a blue circle; shape and colour both differ, so
 * they are told apart without colour vision. Without an open alert: a circle in the status
 * colour, for a normal air station its AQI category colour.
 */
export function markerLook(s: SiteSnapshot, severity: AlertSeverity | null | undefined): MarkerLook {
  const sev = severity ?? null;
  const shape: MarkerShape = sev === 'critical' ? 'diamond' : sev === 'major' ? 'square' : sev === 'minor' ? 'triangle' : 'circle';
  const colour = sev ? SEVERITY_COLOUR[sev] : markerColour(s);
  const text = textColour(colour);
  const pulse = sev === 'critical';
  return { shape, colour, text, pulse, severity: sev, key: `${shape}|${colour}|${s.status}` };
}

/** The worst severity among each site's open alerts. */
export function worstSeverityBySite(alerts: Iterable<{ site: string; severity: AlertSeverity; state: string }>): Map<string, AlertSeverity> {
  const worst = new Map<string, AlertSeverity>();
  for (const a of alerts) {
    if (a.state === 'resolved') continue;
    const had = worst.get(a.site);
    if (had === undefined || ALERT_SEVERITIES.indexOf(a.severity) < ALERT_SEVERITIES.indexOf(had)) worst.set(a.site, a.severity);
  }
  return worst;
}

/** Dark text on light category colours (the yellow of 良), white otherwise. */
export function textColour(bg: string): string {
  const n = Number.parseInt(bg.slice(1), 16);
  const lum = 0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
  return lum > 160 ? '#1d2733' : '#ffffff';
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const PI = Math.PI;
const A = 6378245.0;
const EE = 0.006693421622965943;

function outOfChina(lat: number, lon: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function tLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2) / 3;
  r += ((20 * Math.sin(y * PI) + 40 * Math.sin((y / 3) * PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * PI) + 320 * Math.sin((y * PI) / 30)) * 2) / 3;
  return r;
}

function tLon(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2) / 3;
  r += ((20 * Math.sin(x * PI) + 40 * Math.sin((x / 3) * PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * PI) + 300 * Math.sin((x / 30) * PI)) * 2) / 3;
  return r;
}

/**
 * WGS84 → GCJ-02, for tile sources drawn in GCJ-02 (the offset all Chinese commercial
 * maps carry). Tianditu and OpenStreetMap are WGS84-compatible and need no shift.
 */
export function wgs84ToGcj02(lat: number, lon: number): [number, number] {
  if (outOfChina(lat, lon)) return [lat, lon];
  let dLat = tLat(lon - 105, lat - 35);
  let dLon = tLon(lon - 105, lat - 35);
  const radLat = (lat / 180) * PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * PI);
  dLon = (dLon * 180) / ((A / sqrtMagic) * Math.cos(radLat) * PI);
  return [lat + dLat, lon + dLon];
}

export interface TileSource {
  url: string | null;
  attribution: string;
  subdomains?: string[];
  gcj02: boolean;
}

/** Tile source from the build's settings: osm (default), tianditu (needs a key), amap (GCJ-02), none. */
export function tileSource(env: Record<string, string | undefined>): TileSource {
  switch (env.VITE_TILES ?? 'osm') {
    case 'none':
      return { url: null, attribution: '', gcj02: false };
    case 'tianditu':
      return {
        url: `https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${env.VITE_TIANDITU_KEY ?? ''}`,
        attribution: '© 天地图',
        subdomains: ['0', '1', '2', '3', '4', '5', '6', '7'],
        gcj02: false,
      };
    case 'amap':
      return { url: 'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}', attribution: '© 高德地图', subdomains: ['1', '2', '3', '4'], gcj02: true };
    default:
      return { url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', attribution: '© OpenStreetMap contributors', gcj02: false };
  }
}
