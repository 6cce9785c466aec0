import { MAX_PAYLOAD_BYTES, parseTopic, TOPIC_ROOT } from '@tidewatch/contracts';

/**
 * Largest MQTT packet the embedded broker reads: a payload at the ingest limit plus room
 * for the topic, packet id and properties. A payload just over the limit still reaches
 * ingest and becomes an `oversized` dead letter; anything larger closes the connection.
 */
export const MAX_PACKET_BYTES = MAX_PAYLOAD_BYTES + 1024;
/** Longer than any device needs (the simulators use `sim-<site id>`), short enough to log. */
export const MAX_CLIENT_ID_LENGTH = 128;
/** Packets a client may send before its CONNECT has been answered. */
export const QUEUE_LIMIT = 32;
/** Inbound QoS 2 messages a client may leave awaiting PUBREL. */
export const MAX_INFLIGHT_QOS2 = 32;

/** Who is publishing: a device authenticated as its site, or an anonymous client. */
export type Publisher = { site: string } | { anonymous: true };

export type PublishVerdict = { ok: true; stripRetain: boolean } | { ok: false; reason: string };

/**
 * Whether a publish is let through. A device writes only under its own site's topics;
 * an anonymous client (allowed only on purpose) under any site's. Nobody subscribes to the
 * embedded broker, so a retained message would only take memory: the retained `status`
 * that devices announce themselves with is kept without its retain flag, any other
 * retained message is refused.
 */
export function judgePublish(who: Publisher, topic: string, retain: boolean): PublishVerdict {
  const scope = 'site' in who ? `${TOPIC_ROOT}/${who.site}/` : `${TOPIC_ROOT}/`;
  if (!topic.startsWith(scope)) return { ok: false, reason: 'topic outside the publisher’s site' };
  if (!retain) return { ok: true, stripRetain: false };
  if (parseTopic(topic)?.channel === 'status') return { ok: true, stripRetain: true };
  return { ok: false, reason: 'retained message' };
}

export function clientIdProblem(clientId: string): string | null {
  return clientId.length > MAX_CLIENT_ID_LENGTH ? `client id longer than ${MAX_CLIENT_ID_LENGTH} characters` : null;
}
