/** MQTT topics (docs/contract.md §2.1): `tidewatch/v1/sites/{siteId}/{telemetry|events|status}`. */

export const TOPIC_ROOT = 'tidewatch/v1/sites';
export const SITE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const CHANNELS = ['telemetry', 'events', 'status'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface ParsedTopic {
  siteId: string;
  channel: Channel;
}

export function siteTopic(siteId: string, channel: Channel): string {
  return `${TOPIC_ROOT}/${siteId}/${channel}`;
}

/** The subscription that covers every device topic (optionally as a shared subscription). */
export function allSitesFilter(shareGroup?: string): string {
  const filter = `${TOPIC_ROOT}/+/+`;
  return shareGroup ? `$share/${shareGroup}/${filter}` : filter;
}

/** Parses a device topic; null when it is not one of ours or is malformed. */
export function parseTopic(topic: string): ParsedTopic | null {
  if (!topic.startsWith(`${TOPIC_ROOT}/`)) return null;
  const rest = topic.slice(TOPIC_ROOT.length + 1).split('/');
  if (rest.length !== 2) return null;
  const [siteId, channel] = rest as [string, string];
  if (!SITE_ID_PATTERN.test(siteId)) return null;
  if (!(CHANNELS as readonly string[]).includes(channel)) return null;
  return { siteId, channel: channel as Channel };
}

export function isTidewatchTopic(topic: string): boolean {
  return topic === 'tidewatch' || topic.startsWith('tidewatch/');
}
