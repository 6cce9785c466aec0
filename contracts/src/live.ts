import { z } from 'zod';
import type { AbnormalFlag } from './flags.js';
import { SITE_KINDS, type SiteKind } from './metrics.js';
import { SITE_ID_PATTERN } from './topics.js';

/** Status of a site as shown on the map (`/api/sites`, docs/contract.md §4.3). */
export const SITE_STATUSES = ['normal', 'warning', 'alarm', 'offline'] as const;
export type SiteStatus = (typeof SITE_STATUSES)[number];

export interface LatestValue {
  value: number;
  /** ISO-8601 UTC time of the reading. */
  t: string;
  /** Present when the newest value carries a data flag (not N): shown, never counted. */
  flag?: AbnormalFlag;
}

/** The newest values that count: those without a data flag (what indicators are computed from). */
export function countableValues(latest: Record<string, LatestValue>): Record<string, LatestValue> {
  return Object.fromEntries(Object.entries(latest).filter(([, v]) => v.flag === undefined));
}

/** What the national standards say of a site now, as fits its kind. */
export type SiteIndicator =
  | { type: 'aqi'; hour: string; aqi: number | null; category: { zh: string; en: string; colour: string; level: number } | null; primary: string[] }
  | { type: 'water_class'; standard: 'GB 3838-2002' | 'GB 3097-1997'; grade: number; roman: string; zh: string; en: string; target: string | null; meets_target: boolean | null }
  | { type: 'effluent'; standard: 'GB 18918-2002 1A'; basis: 'last 24 h means'; compliant: boolean; exceedances: { param: string; value: number; limit: string }[] };

/** A site with its newest values, as `/api/sites` lists it and the `site` event pushes it. */
export interface SiteSnapshot {
  id: string;
  kind: SiteKind;
  name_zh: string;
  name_en: string;
  lat: number;
  lon: number;
  status: SiteStatus;
  online: boolean;
  last_seen: string | null;
  latest: Record<string, LatestValue>;
  indicator?: SiteIndicator | null;
  /** The site's settings (levels, bands, targets) its thresholds come from. */
  params?: Record<string, unknown>;
}

/** Client → hub: receive only these kinds and/or sites (empty both: everything). */
export const subscribeSchema = z
  .object({
    kinds: z.array(z.enum(SITE_KINDS)).max(SITE_KINDS.length).optional(),
    sites: z.array(z.string().regex(SITE_ID_PATTERN)).max(1000).optional(),
  })
  .strict();
export type SubscribeRequest = z.infer<typeof subscribeSchema>;

export const ALERT_SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
export type AlertState = 'active' | 'acknowledged' | 'resolved';

/** An alert as `/api/alerts` returns it and the `alert` event pushes it (with `event`: what happened). */
export interface AlertRecord {
  id: number;
  site: string;
  site_name_zh: string;
  site_name_en: string;
  kind: string;
  rule: string;
  severity: AlertSeverity;
  state: AlertState;
  cleared: boolean;
  cleared_at: string | null;
  title_zh: string;
  title_en: string;
  detail: Record<string, unknown>;
  opened_at: string;
  last_triggered_at: string;
  triggers: number;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  assigned_to: string | null;
  escalation_level: number;
  announced_at: string;
  /** When the alert last changed: what orders a snapshot against the events around it. */
  updated_at: string;
}

export interface AqiCategory {
  level: number;
  level_zh: string;
  zh: string;
  en: string;
  colour: string;
}

/** Hourly (or daily) concentrations an AQI was computed from, µg/m³ (CO mg/m³). */
export type AqiConcentrations = Partial<
  Record<
    | 'so2_1h' | 'no2_1h' | 'co_1h' | 'o3_1h' | 'pm10_1h' | 'pm25_1h' | 'o3_8h' | 'pm10_24h' | 'pm25_24h' | 'so2_24h'
    | 'so2' | 'no2' | 'co' | 'pm10' | 'pm25' | 'o3_8h_max' | 'o3_1h_max',
    number
  >
>;

export interface AqiFigure {
  version: string;
  /** null when not published. */
  aqi: number | null;
  category: AqiCategory | null;
  primary: string[];
  iaqi: Record<string, number>;
  missing: string[];
  concentrations: AqiConcentrations;
}

/** The real-time AQI of the last complete hour: `/api/aqi/latest` and the `aqi` event. */
export interface LatestAqi {
  /** Start of the hour (UTC ISO). */
  hour: string;
  standard: string;
  district: AqiFigure & { valid_stations: number };
  stations: (AqiFigure & { site: string; name_zh: string; name_en: string })[];
}

/**
 * What the hub knows now, sent once on every (re)connect and as the answer to `subscribe`
 * (narrowed to the subscription); deltas follow.
 */
export interface LiveSnapshot {
  /** When the hub took it (UTC ISO). */
  at: string;
  sites: SiteSnapshot[];
  /** Open (not resolved) alerts. */
  alerts: AlertRecord[];
  aqi: LatestAqi | null;
}

export interface ServerToClientEvents {
  snapshot: (snapshot: LiveSnapshot) => void;
  site: (site: SiteSnapshot) => void;
  alert: (alert: AlertRecord & { event: string }) => void;
  aqi: (aqi: LatestAqi) => void;
}

export interface ClientToServerEvents {
  subscribe: (req: SubscribeRequest, ack?: (res: { ok: boolean; error?: string }) => void) => void;
}

export const LIVE_NAMESPACE = '/live';
