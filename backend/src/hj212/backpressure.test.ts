import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import type { IngestService } from '../ingest/ingest.service.js';
import type { Logger } from '../logging/logger.js';
import { HubMetrics } from '../metrics/metrics.service.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import { buildFrame } from './frame.js';
import { Hj212Gateway, MAX_FRAMES_IN_FLIGHT } from './hj212-gateway.js';

const MN = 'BACKPRESSURE0000000001';
const PW = '123456';
const FRAMES = 80;
const BURST = 10;
const BURST_EVERY_MS = 250; // 40 frames a second, under the per-connection rate limit, 10 to a write
const STORE_MS = 50; // one at a time: 20 frames a second

/** Ingest that stores one message at a time, slower than the monitor sends. */
function slowIngest(): { ingest: IngestService; stored: () => number; peak: () => number } {
  let chain = Promise.resolve();
  let inflight = 0;
  let peak = 0;
  let stored = 0;
  const ingest = {
    inflightCount: 0,
    whenInflightBelow: () => Promise.resolve(),
    reject: async () => undefined,
    submit: (): Promise<void> => {
      peak = Math.max(peak, ++inflight);
      chain = chain.then(() => new Promise((resolve) => setTimeout(resolve, STORE_MS)));
      return chain.then(() => {
        inflight--;
        stored++;
      });
    },
  } as unknown as IngestService;
  return { ingest, stored: () => stored, peak: () => peak };
}

const nop = (): void => undefined;
const log = { info: nop, warn: nop, error: nop, debug: nop } as unknown as Logger;
let gateway: Hj212Gateway | null = null;

afterEach(async () => {
  await gateway?.stop();
  gateway = null;
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

function frame(i: number): Buffer {
  const dataTime = new Date(Date.now() - 120_000 + 8 * 3_600_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');
  return buildFrame(`QN=${dataTime}${String(i).padStart(3, '0')};ST=32;CN=2011;PW=${PW};MN=${MN};Flag=5;CP=&&DataTime=${dataTime};w01001-Rtd=7.1,w01001-Flag=N&&`);
}

describe('HJ 212 listener with storage slower than a monitor', () => {
  it('stops reading from the connection instead of holding its frames, and still stores and acknowledges every one', async () => {
    const config = { ...loadConfig({}), HJ212_PORT: await freePort(), HOST: '127.0.0.1' };
    const site = { key: 1, id: 'wwtp-test', kind: 'wwtp', name_zh: '厂', name_en: 'Plant', lat: 0, lon: 0, params: { hj212_mn: MN, hj212_pw: PW } };
    const registry = { all: () => [site], lookup: () => site, byKey: () => site } as unknown as SiteRegistry;
    const slow = slowIngest();
    gateway = new Hj212Gateway(config, registry, slow.ingest, new HubMetrics(), log);
    await gateway.start();

    const client = net.connect(config.HJ212_PORT, '127.0.0.1');
    let acks = 0;
    client.on('data', (d: Buffer) => (acks += d.toString('latin1').split('CN=9014').length - 1));
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    for (let i = 0; i < FRAMES; i += BURST) {
      client.write(Buffer.concat(Array.from({ length: BURST }, (_, j) => frame(i + j))));
      await new Promise((resolve) => setTimeout(resolve, BURST_EVERY_MS));
    }
    const deadline = Date.now() + 15_000;
    while (acks < FRAMES && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    client.destroy();
    console.log(`peak ${slow.peak()} frames in flight on the hub (limit ${MAX_FRAMES_IN_FLIGHT} + 1) for ${FRAMES} frames sent at ${(1000 / BURST_EVERY_MS) * BURST}/s and stored at ${1000 / STORE_MS}/s`);
    expect(slow.stored()).toBe(FRAMES);
    expect(acks).toBe(FRAMES);
    // Without flow control 46 frames waited on the hub at the peak; with pausing alone (frames of a read not held back) 18.
    expect(slow.peak()).toBeLessThanOrEqual(MAX_FRAMES_IN_FLIGHT + 1);
  });
});
