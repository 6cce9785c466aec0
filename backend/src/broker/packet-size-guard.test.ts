import net from 'node:net';
import mqttPacket from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { GuardedConnection, PacketLengthChecker } from './packet-size-guard.js';

function publish(payloadBytes: number, topic = 'tidewatch/v1/sites/air-hekou/telemetry'): Buffer {
  return mqttPacket.generate({ cmd: 'publish', topic, payload: Buffer.alloc(payloadBytes, 0x61), qos: 1, messageId: 7, retain: false, dup: false });
}

const ping = mqttPacket.generate({ cmd: 'pingreq' });

/** Feeds the stream to the checker in pieces of `size` bytes. */
function feed(checker: PacketLengthChecker, stream: Buffer, size: number): string | null {
  for (let i = 0; i < stream.length; i += size) {
    const problem = checker.accept(stream.subarray(i, i + size));
    if (problem) return problem;
  }
  return null;
}

describe('PacketLengthChecker', () => {
  it('follows packets of every length-field size across any split', () => {
    const stream = Buffer.concat([ping, publish(10), publish(200), publish(20_000), ping, publish(0)]);
    for (const size of [1, 2, 3, 7, 100, stream.length]) expect(feed(new PacketLengthChecker(65_536), stream, size)).toBeNull();
  });

  it('refuses a packet announcing more than the limit, from its header alone', () => {
    const big = publish(70_000);
    const checker = new PacketLengthChecker(65_536);
    expect(checker.accept(Buffer.concat([publish(10), ping]))).toBeNull();
    // Only the fixed header and a little of the body: no need to see the rest.
    expect(checker.accept(big.subarray(0, 8))).toMatch(/exceeds 65536/);
  });

  it('refuses the packet after valid ones in the same chunk', () => {
    expect(feed(new PacketLengthChecker(1000), Buffer.concat([publish(10), publish(990)]), 4096)).toMatch(/exceeds 1000/);
    expect(feed(new PacketLengthChecker(1000), Buffer.concat([publish(10), publish(900)]), 4096)).toBeNull();
  });

  it('refuses a remaining length longer than four bytes', () => {
    expect(new PacketLengthChecker(1 << 30).accept(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe('malformed remaining length');
  });
});

describe('GuardedConnection', () => {
  const closers: (() => void)[] = [];
  afterEach(() => closers.splice(0).forEach((c) => c()));

  async function pair(max: number): Promise<{ guarded: GuardedConnection; client: net.Socket }> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    const guarded = new GuardedConnection(await accepted, max);
    closers.push(() => {
      client.destroy();
      guarded.destroy();
      server.close();
    });
    return { guarded, client };
  }

  it('passes packets within the limit through both ways', async () => {
    const { guarded, client } = await pair(1000);
    const got: Buffer[] = [];
    guarded.on('data', (d: Buffer) => got.push(d));
    const sent = Buffer.concat([publish(100), ping]);
    client.write(sent);
    const echoed = new Promise<Buffer>((resolve) => client.once('data', resolve));
    guarded.write(Buffer.from('pong'));
    expect((await echoed).toString()).toBe('pong');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Buffer.concat(got)).toEqual(sent);
  });

  it('sends what was written while corked in one socket write, in order', async () => {
    const { guarded, client } = await pair(1000);
    const writes: Buffer[] = [];
    const write = guarded.socket.write.bind(guarded.socket);
    guarded.socket.write = ((chunk: Buffer, cb?: (err?: Error | null) => void) => (writes.push(Buffer.from(chunk)), write(chunk, cb))) as typeof guarded.socket.write;
    const acks = [1, 2, 3].map((messageId) => mqttPacket.generate({ cmd: 'puback', messageId }));
    const received = new Promise<Buffer>((resolve) => {
      let all = Buffer.alloc(0);
      client.on('data', (d: Buffer) => (all = Buffer.concat([all, d])).length === 12 && resolve(all));
    });
    guarded.cork();
    for (const a of acks) guarded.write(a);
    process.nextTick(() => guarded.uncork());
    expect(await received).toEqual(Buffer.concat(acks));
    expect(writes).toEqual([Buffer.concat(acks)]);
  });

  it('closes the socket on a packet over the limit without passing it on', async () => {
    const { guarded, client } = await pair(1000);
    const got: Buffer[] = [];
    guarded.on('data', (d: Buffer) => got.push(d));
    const error = new Promise<Error>((resolve) => guarded.once('error', resolve));
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', () => undefined);
    client.write(publish(5000));
    expect((await error).message).toMatch(/exceeds 1000/);
    await closed;
    expect(got).toEqual([]);
  });
});
