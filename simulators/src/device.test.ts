import net from 'node:net';
import { MAX_BATCH_READINGS, MAX_PAYLOAD_BYTES } from '@tidewatch/contracts';
import { Aedes } from 'aedes';
import { afterEach, describe, expect, it } from 'vitest';
import { backfill } from './backfill.js';
import { batchPayloads, SimDevice } from './device.js';
import { SITES, WINTER } from './test-helpers.js';

interface Broker {
  port: number;
  received: { topic: string; payload: string; retain: boolean }[];
  close(): Promise<void>;
}

/** A real MQTT broker in-process, recording what devices publish. */
async function startBroker(port = 0): Promise<Broker> {
  const broker = await Aedes.createBroker();
  const received: Broker['received'] = [];
  broker.on('publish', (packet, client) => {
    if (!packet.topic.startsWith('$SYS')) received.push({ topic: packet.topic, payload: packet.payload.toString(), retain: packet.retain || !client });
  });
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

const until = async (fn: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('batch payloads', () => {
  it('stay within 1000 entries and 64 KiB', () => {
    const readings = Array.from({ length: 5000 }, (_, i) => ({ ts: WINTER + i * 1000, values: { pm25: i, pm10: i * 2, so2: 3.25, no2: 40.5, co: 0.75, o3: 80.25 } }));
    const payloads = batchPayloads(readings);
    let total = 0;
    for (const p of payloads) {
      expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
      const n = (JSON.parse(p) as { readings: unknown[] }).readings.length;
      expect(n).toBeLessThanOrEqual(MAX_BATCH_READINGS);
      total += n;
    }
    expect(total).toBe(5000);
  });
});

describe('a simulated device', () => {
  it('announces itself online, buffers while the broker is down and sends one batch when it is back; its last will says offline', async () => {
    let broker = await startBroker();
    const port = broker.port;
    const site = SITES.find((s) => s.id === 'air-hekou')!;
    const device = new SimDevice(site, { url: `mqtt://127.0.0.1:${port}` });
    cleanups.push(() => device.stop());
    await until(() => broker.received.some((m) => m.topic.endsWith('/status') && m.payload === 'online'));

    await broker.close();
    await until(() => !device.client.connected);
    for (let i = 0; i < 5; i++) device.sendTelemetry('{}', { ts: WINTER + i * 60_000, values: { pm25: 10 + i } });
    expect(device.buffered).toBe(5);

    broker = await startBroker(port);
    cleanups.push(() => broker.close());
    await until(() => broker.received.some((m) => m.topic.endsWith('/telemetry')));
    const batch = broker.received.filter((m) => m.topic === 'tidewatch/v1/sites/air-hekou/telemetry');
    expect(batch).toHaveLength(1);
    expect((JSON.parse(batch[0]!.payload) as { readings: unknown[] }).readings).toHaveLength(5);
    expect(device.buffered).toBe(0);

    // Cut the connection without a goodbye: the broker publishes the last will.
    device.client.stream.destroy();
    await until(() => broker.received.some((m) => m.topic.endsWith('/status') && m.payload === 'offline'));
  });
});

describe('backfill', () => {
  it('publishes a day of every site at its cadence as batch payloads, then returns', async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.close());
    const from = WINTER;
    const to = WINTER + 86_400_000;
    const result = await backfill({ url: `mqtt://127.0.0.1:${broker.port}`, sites: SITES, fromMs: from, toMs: to, seed: 4 });
    const telemetry = broker.received.filter((m) => m.topic.endsWith('/telemetry'));
    let readings = 0;
    let values = 0;
    for (const m of telemetry) {
      expect(Buffer.byteLength(m.payload)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
      const batch = JSON.parse(m.payload) as { readings: { ts: number; values: Record<string, number> }[] };
      for (const r of batch.readings) {
        expect(r.ts).toBeGreaterThanOrEqual(from);
        expect(r.ts).toBeLessThan(to);
        readings++;
        values += Object.keys(r.values).length;
      }
    }
    expect(values).toBe(result.readings);
    // Air stations report every minute: 8 × 1440 reports; pump stations every 30 s: 5 × 2880.
    const air = telemetry.filter((m) => m.topic.includes('/air-')).reduce((n, m) => n + (JSON.parse(m.payload) as { readings: unknown[] }).readings.length, 0);
    expect(air).toBeGreaterThanOrEqual(8 * 1439);
    expect(air).toBeLessThanOrEqual(8 * 1440);
    expect(readings).toBeGreaterThan(30_000);
    expect(broker.received.filter((m) => m.topic.endsWith('/events')).length).toBe(result.events);
    expect(result.events).toBeGreaterThan(0);
    // Backfill connections leave no status behind.
    expect(broker.received.filter((m) => m.topic.endsWith('/status'))).toEqual([]);
  });
});
