import { METRICS, siteTopic, type SiteKind } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { login, waitFor } from './harness/hub-process.js';
import { useHub } from './use-hub.js';

// Updates as often as the hub allows, and a small queue, so that a client that does not read fills it in seconds.
const ctx = useHub({ LIVE_SITE_INTERVAL_MS: '50', LIVE_MAX_QUEUED: '200' });
const SILENT_CLIENTS = 20;
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
  it('are disconnected while a reading client keeps its updates and the hub its memory', async () => {
    sockets = await Promise.all(Array.from({ length: SILENT_CLIENTS }, () => silentClient()));
    const reader = io(`${ctx.t.httpUrl}/live`, { auth: { token }, transports: ['websocket'] });
    let received = 0;
    reader.on('site', () => received++);
    // Every site, each with one of its metrics at a value in range, changing at every message.
    const sites = (await (await fetch(`${ctx.t.httpUrl}/api/sites`, { headers: { authorization: `Bearer ${token}` } })).json()) as { id: string; kind: SiteKind }[];
    const metricOf = new Map(sites.map((s) => [s.id, METRICS.find((m) => m.kind === s.kind && !m.flag)!]));
    const pub = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: `flood-${Date.now()}` });
    let publishing = true;
    let n = 0;
    const flood = (async () => {
      while (publishing) {
        const ts = Date.now() - 1000;
        await Promise.all(
          sites.map(({ id }) => {
            const m = metricOf.get(id)!;
            const value = m.min + ((m.max - m.min) / 100) * (n % 10);
            return pub.publishAsync(siteTopic(id, 'telemetry'), JSON.stringify({ ts: ts + (n % 997), values: { [m.name]: m.integer ? Math.round(value) : value } }), { qos: 1 });
          }),
        );
        n++;
      }
    })();
    try {
      await waitFor(async () => (await metric('tidewatch_live_slow_clients_dropped_total')) >= SILENT_CLIENTS, 120_000, 'every silent client dropped');
      const before = received;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(received - before).toBeGreaterThan(5); // the reading client still gets its updates
      expect(reader.connected).toBe(true);
      expect(await metric('tidewatch_live_clients')).toBe(1);
      // Heap after the drop: the silent clients' queues are gone (the limit keeps each to ~200 small packets anyway).
      expect(await metric('tidewatch_process_nodejs_heap_size_used_bytes')).toBeLessThan(400 * 1024 * 1024);
    } finally {
      publishing = false;
      await flood;
      await pub.endAsync();
      reader.close();
    }
  });
});
