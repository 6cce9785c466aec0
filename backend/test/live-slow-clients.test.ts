import { METRICS, siteTopic, type SiteKind } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { login, waitFor } from './harness/hub-process.js';
import { watchRss } from './harness/peak-rss.js';
import { useHub } from './use-hub.js';

// Updates as often as the hub allows, and a small queue, so that a client that does not read fills it in seconds.
const ctx = useHub({ LIVE_SITE_INTERVAL_MS: '50', LIVE_MAX_QUEUED: '200' });
const SILENT_CLIENTS = 20;
const READINGS_PER_S = 5000;
let token: string;
let sockets: WebSocket[] = [];

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${ctx.t.httpUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

/** A socket.io client on the wire that joins /live and then never reads another byte. */
async function silentClient(): Promise<WebSocket> {
  const ws = new WebSocket(`${ctx.t.httpUrl.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  const joined = new Promise<void>((resolve) => ws.on('message', (m: Buffer) => m.toString().startsWith('40/live') && resolve()));
  ws.send(`40/live,${JSON.stringify({ token })}`);
  await joined;
  (ws as unknown as { _socket: { pause(): void } })._socket.pause();
  return ws;
}

beforeAll(async () => {
  token = await login(ctx.t);
});
afterAll(() => {
  for (const ws of sockets) ws.terminate();
});

describe('live clients that do not read', () => {
  it('are disconnected at 5,000 readings/s while a reading client keeps its updates and the hub its memory', async () => {
    sockets = await Promise.all(Array.from({ length: SILENT_CLIENTS }, () => silentClient()));
    const reader = io(`${ctx.t.httpUrl}/live`, { auth: { token }, transports: ['websocket'] });
    let received = 0;
    reader.on('site', () => received++);
    // Every site, each message with all of its kind's metrics at values in range, at a new time each.
    const sites = (await (await fetch(`${ctx.t.httpUrl}/api/sites`, { headers: { authorization: `Bearer ${token}` } })).json()) as { id: string; kind: SiteKind }[];
    const metricsOf = new Map(sites.map((s) => [s.id, METRICS.filter((m) => m.kind === s.kind && !m.flag)]));
    const pub = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: `flood-${Date.now()}` });
    const rss = watchRss(ctx.hub.proc.pid!);
    const t0 = Date.now() - 600_000;
    let publishing = true;
    let published = 0;
    const acks: Promise<unknown>[] = [];
    const flood = (async () => {
      const started = Date.now();
      let n = 0;
      while (publishing) {
        // Paced at READINGS_PER_S: publish what is due, then wait for the next 10 ms tick.
        while (published < ((Date.now() - started) / 1000) * READINGS_PER_S) {
          const { id } = sites[n % sites.length]!;
          const values = Object.fromEntries(
            metricsOf.get(id)!.map((m) => {
              const value = m.min + ((m.max - m.min) / 100) * (n % 10);
              return [m.name, m.integer ? Math.round(value) : value];
            }),
          );
          acks.push(pub.publishAsync(siteTopic(id, 'telemetry'), JSON.stringify({ ts: t0 + Math.floor(n / sites.length) * 10, values }), { qos: 1 }));
          published += Object.keys(values).length;
          n++;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const floodStarted = Date.now();
    try {
      await waitFor(async () => (await metric('tidewatch_live_slow_clients_dropped_total')) >= SILENT_CLIENTS, 120_000, 'every silent client dropped');
      const dropMs = Date.now() - floodStarted;
      const before = received;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(received - before).toBeGreaterThan(5); // the reading client still gets its updates
      expect(reader.connected).toBe(true);
      expect(await metric('tidewatch_live_clients')).toBe(1);
      // Heap after the drop: the silent clients' queues are gone (the limit keeps each to ~200 small packets anyway).
      expect(await metric('tidewatch_process_nodejs_heap_size_used_bytes')).toBeLessThan(400 * 1024 * 1024);
      // The rate the hub stored over five more seconds of the flood, with the reader still served.
      const stored0 = await metric('tidewatch_readings_ingested_total');
      const received0 = received;
      const windowStart = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const rate = ((await metric('tidewatch_readings_ingested_total')) - stored0) / ((Date.now() - windowStart) / 1000);
      expect((await fetch(`${ctx.t.httpUrl}/api/health`)).status).toBe(200);
      const { peakMiB, hwmMiB } = rss.stop();
      console.log(
        `slow clients: ${SILENT_CLIENTS} dropped within ${dropMs} ms; the hub stored ${Math.round(rate)} readings/s, the reading client got ${received - received0} updates in 5 s; ` +
          `hub peak RSS ${peakMiB} MiB during the flood (VmHWM ${hwmMiB} MiB)`,
      );
      expect(rate).toBeGreaterThan(READINGS_PER_S * 0.9);
      expect(received - received0).toBeGreaterThan(25);
      expect(reader.connected).toBe(true);
      expect(peakMiB).toBeLessThan(400);
    } finally {
      publishing = false;
      await flood;
      await Promise.all(acks);
      await pub.endAsync();
      reader.close();
    }
  });
});
