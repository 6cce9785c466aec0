import { siteTopic } from '@tidewatch/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { batchPayloads } from './device.js';
import { District, streamSeed } from './district.js';
import { FaultInjector } from './faults.js';
import { outgoingFor } from './fleet.js';
import type { SimSite } from './models/model.js';
import { Random } from './random.js';
import type { ScenarioName } from './scenarios.js';

export interface BackfillOptions {
  url: string;
  sites: SimSite[];
  fromMs: number;
  toMs: number;
  seed?: number;
  scenario?: ScenarioName;
  passwords?: Record<string, string>;
  /** Unacknowledged messages per device connection. */
  window?: number;
  log?: (msg: string) => void;
}

export interface BackfillResult {
  readings: number;
  events: number;
  messages: number;
  seconds: number;
}

/** Readings per site collected before they are sent as batch payloads. */
const FLUSH_AT = 900;
const CHUNK_MS = 3_600_000;

/**
 * Publishes a past period at the devices' normal cadence, as buffered batch payloads, as
 * fast as the broker and hub acknowledge them (QoS 1, a bounded window per device), then
 * returns. Its connections are separate from the live devices' (no status, no last will).
 */
export async function backfill(opts: BackfillOptions): Promise<BackfillResult> {
  const started = performance.now();
  const seed = opts.seed ?? 1;
  const window = opts.window ?? 32;
  const district = new District(opts.sites, seed, opts.fromMs, opts.scenario ?? 'normal');
  const faults = district.scenario.sensorFaults ? new FaultInjector(new Random(streamSeed(seed, 'faults'))) : null;
  const clients = new Map<string, MqttClient>();
  const inflight = new Map<string, Set<Promise<unknown>>>();
  await Promise.all(
    opts.sites.map(async (s) => {
      const password = opts.passwords?.[s.id];
      const c = await mqtt.connectAsync(opts.url, {
        clientId: `backfill-${s.id}-${process.pid}`,
        username: password ? s.id : undefined,
        password,
        clean: true,
        reconnectPeriod: 1000,
      });
      clients.set(s.id, c);
      inflight.set(s.id, new Set());
    }),
  );
  let messages = 0;
  let readingsSent = 0;
  let eventsSent = 0;
  const send = async (siteId: string, channel: 'telemetry' | 'events', payload: string): Promise<void> => {
    const pending = inflight.get(siteId)!;
    while (pending.size >= window) await Promise.race(pending);
    const p = clients.get(siteId)!.publishAsync(siteTopic(siteId, channel), payload, { qos: 1 });
    pending.add(p);
    void p.finally(() => pending.delete(p));
    messages++;
  };
  const pending = new Map<string, { ts: number; values: Record<string, number> }[]>(opts.sites.map((s) => [s.id, []]));
  const flush = async (siteId: string): Promise<void> => {
    const readings = pending.get(siteId)!;
    if (readings.length === 0) return;
    pending.set(siteId, []);
    for (const payload of batchPayloads(readings)) await send(siteId, 'telemetry', payload);
    readingsSent += readings.reduce((n, r) => n + Object.keys(r.values).length, 0);
  };

  try {
    for (let t = opts.fromMs; t < opts.toMs; ) {
      t = Math.min(opts.toMs, t + CHUNK_MS);
      const { events, reports } = district.advance(t);
      for (const { site, event } of events) {
        await send(site.id, 'events', JSON.stringify(event));
        eventsSent++;
      }
      for (const report of reports) {
        for (const o of outgoingFor(report, faults)) {
          if (o.reading) pending.get(report.site.id)!.push(o.reading);
          else await send(report.site.id, 'telemetry', o.payload);
        }
        if (pending.get(report.site.id)!.length >= FLUSH_AT) await flush(report.site.id);
      }
      opts.log?.(`backfilled to ${new Date(t).toISOString()}`);
    }
    for (const id of pending.keys()) await flush(id);
    await Promise.all([...inflight.values()].flatMap((s) => [...s]));
  } finally {
    await Promise.all([...clients.values()].map((c) => c.endAsync()));
  }
  return { readings: readingsSent, events: eventsSent, messages, seconds: (performance.now() - started) / 1000 };
}
