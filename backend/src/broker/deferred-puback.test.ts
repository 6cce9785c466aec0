import net from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { DeferredPuback } from './deferred-puback.js';

/** A real broker in-process, so the test sees exactly when each PUBACK reaches it. */
async function startBroker(): Promise<{ broker: Aedes; server: net.Server; url: string; acks: number[] }> {
  const broker = await Aedes.createBroker();
  const acks: number[] = [];
  broker.on('ack', (packet, client) => {
    if (client?.id === 'hub-under-test' && packet && 'payload' in packet) acks.push(Number(String(packet.payload)));
  });
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  return { broker, server, url: `mqtt://127.0.0.1:${port}`, acks };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});


interface Setup {
  acks: number[];
  sub: MqttClient;
  adapter: DeferredPuback;
  /** Publishes `n` numbered QoS 1 messages as a device. */
  publish(n: number, from?: number): Promise<void>;
}

/** Broker, a subscriber whose acknowledgements go through the adapter, and a device. */
async function setUp(onMessage: (payload: number, hold: () => () => void) => void, opts: IClientOptions = {}): Promise<Setup> {
  const { broker, server, url, acks } = await startBroker();
  cleanups.push(async () => {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const sub = mqtt.connect(url, { clientId: 'hub-under-test', clean: false, ...opts });
  const adapter = new DeferredPuback(sub);
  sub.handleMessage = (packet, done) => {
    onMessage(Number(String(packet.payload)), () => adapter.hold(packet.messageId!));
    done();
  };
  await new Promise<void>((resolve) => sub.once('connect', () => resolve()));
  await sub.subscribeAsync('t/#', { qos: 1 });
  cleanups.push(() => sub.endAsync(true));
  const pub = await mqtt.connectAsync(url, { clientId: 'device' });
  cleanups.push(() => pub.endAsync());
  return {
    acks,
    sub,
    adapter,
    async publish(n, from = 0) {
      for (let i = from; i < from + n; i++) await pub.publishAsync('t/x', String(i), { qos: 1 });
    },
  };
}

describe('DeferredPuback', () => {
  it('sends no acknowledgement before its commit, and each one after it', async () => {
    const commits = new Map<number, () => void>();
    let handled = 0;
    const { acks, adapter, publish } = await setUp((n, hold) => {
      commits.set(n, hold());
      handled++;
    });
    await publish(50);
    await expect.poll(() => handled).toBe(50);
    // All 50 were handed over without waiting for any commit…
    await new Promise((resolve) => setTimeout(resolve, 200));
    // …and not one acknowledgement left before its commit.
    expect(acks).toEqual([]);
    expect(adapter.size).toBe(50);

    for (let i = 0; i < 50; i += 2) commits.get(i)!();
    await expect.poll(() => acks.length).toBe(25);
    expect(acks.every((n) => n % 2 === 0)).toBe(true);
    for (let i = 1; i < 50; i += 2) commits.get(i)!();
    await expect.poll(() => acks.length).toBe(50);
  });

  it('drops held acknowledgements when the connection is lost; the broker redelivers', async () => {
    const seen: number[] = [];
    const commits: (() => void)[] = [];
    const { acks, sub, publish } = await setUp(
      (n, hold) => {
        seen.push(n);
        commits.push(hold());
      },
      { reconnectPeriod: 100 },
    );
    await publish(5);
    await expect.poll(() => seen.length).toBe(5);

    // Cut the connection under the client; commits that finish later must not ack on the new one.
    const early = commits.splice(0);
    sub.stream.destroy();
    await new Promise<void>((resolve) => sub.once('connect', () => resolve()));
    for (const c of early) c();
    await expect.poll(() => seen.length).toBe(10); // redelivered
    expect(acks).toEqual([]);
    for (const c of commits) c();
    await expect.poll(() => acks.length).toBe(5);
    expect(acks.sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
