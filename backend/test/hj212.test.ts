import net from 'node:net';
import type { LiveSnapshot, SiteSnapshot } from '@tidewatch/contracts';
import { io } from 'socket.io-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFrame, takeFrame } from '../src/hj212/frame.js';
import { api, login, waitFor, withDb, addUser, TEST_USER_PASSWORD } from './harness/hub-process.js';
import { useHub } from './use-hub.js';

const HANDSHAKE_MS = 3000;
const WINDOW_MS = 5000;
const ctx = useHub({ HJ212_HANDSHAKE_MS: String(HANDSHAKE_MS), HJ212_REJECT_WINDOW_MS: String(WINDOW_MS) });
let admin: string;
beforeAll(async () => {
  admin = await login(ctx.t);
});

const MN = '010000A8900016F000169DC0'; // wwtp-hekou in the seed
const PW = '123456'; // its hj212_pw in the seed

type Letter = { reason: string; topic: string; detail: string | null; payload: string | null };

/** The HJ 212 dead letters from one source address, newest first. */
async function lettersFrom(address: string): Promise<Letter[]> {
  const all = (await api<Letter[]>(ctx.t, admin, '/api/dead-letters?limit=1000')).body;
  return all.filter((l) => l.topic === `hj212/${address}` || l.topic.startsWith(`hj212/${address}:`));
}

/** A local time `minutesAgo` back in district time, as the monitor keeps it: `YYYYMMDDhhmmss`. */
function dataTimeAgo(minutesAgo: number): string {
  return new Date(Date.now() - minutesAgo * 60_000 + 8 * 3_600_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/**
 * Sends frames over one TCP connection; collects what the hub answers. `from` is the local
 * address to send from (any 127.x.y.z reaches the hub), so tests can stand for different peers.
 */
async function exchange(frames: Buffer[], waitMs = 1500, from = '127.0.0.1'): Promise<string[]> {
  const socket = net.connect({ port: ctx.t.hj212Port, host: '127.0.0.1', localAddress: from });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let buf = Buffer.alloc(0);
  const answers: string[] = [];
  socket.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    for (let r = takeFrame(buf); r.ok !== null; r = takeFrame(buf)) {
      buf = buf.subarray(r.consumed);
      if (r.ok) answers.push(r.data);
    }
  });
  for (const f of frames) socket.write(f);
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  socket.destroy();
  return answers;
}

/** One monitor's connection, kept open: what it was answered and when the hub closed it. */
class Peer {
  readonly answers: string[] = [];
  closedAfterMs: number | null = null;
  readonly closed: Promise<void>;
  private buf = Buffer.alloc(0);

  private constructor(readonly socket: net.Socket) {
    const opened = Date.now();
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => (this.closedAfterMs = Date.now() - opened));
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (let r = takeFrame(this.buf); r.ok !== null; r = takeFrame(this.buf)) {
        this.buf = this.buf.subarray(r.consumed);
        if (r.ok) this.answers.push(r.data);
      }
    });
  }

  static async open(from: string): Promise<Peer> {
    const socket = net.connect({ port: ctx.t.hj212Port, host: '127.0.0.1', localAddress: from });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new Peer(socket);
  }

  /** Sends a frame and waits for its acknowledgement. */
  async ask(frame: Buffer, what: string): Promise<void> {
    const had = this.answers.length;
    this.socket.write(frame);
    await waitFor(async () => this.answers.length > had, 5000, what);
  }

  /** Whether the hub closes the connection within `ms`. */
  async closesWithin(ms: number): Promise<boolean> {
    return Promise.race([this.closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
  }
}

/** A real-time pH packet for wwtp-hekou that asks to be acknowledged. */
function phFrame(ph: number, pw = PW): Buffer {
  const dataTime = dataTimeAgo(2);
  return buildFrame(`QN=${dataTime}${String(Math.round(ph * 100)).padStart(3, '0')};ST=32;CN=2011;PW=${pw};MN=${MN};Flag=5;CP=&&DataTime=${dataTime};w01001-Rtd=${ph},w01001-Flag=N&&`);
}

async function droppedCount(why: string): Promise<number> {
  const text = await (await fetch(`${ctx.t.httpUrl}/metrics`)).text();
  const m = new RegExp(`^tidewatch_hj212_connections_dropped_total\\{why="${why}"\\} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

describe('HJ 212 listener', () => {
  it('stores a monitor’s real-time data, keeps flagged values apart and acknowledges after storing', async () => {
    const local = new Date(Date.now() - 10 * 60_000 + 8 * 3_600_000).toISOString(); // district time, as the monitor keeps it
    const dataTime = local.slice(0, 19).replace(/[-T:]/g, '');
    const data = `QN=${dataTime}000;ST=32;CN=2011;PW=${PW};MN=${MN};Flag=5;CP=&&DataTime=${dataTime};w01018-Rtd=24.6,w01018-Flag=N;w21003-Rtd=0.9,w21003-Flag=N;w00000-Rtd=700,w00000-Flag=N;w21011-Rtd=0.31,w21011-Flag=C&&`;
    const answers = await exchange([buildFrame(data)]);
    expect(answers).toEqual([`QN=${dataTime}000;ST=91;CN=9014;PW=${PW};MN=${MN};Flag=4;CP=&&&&`]);
    const site = (await api<{ latest: Record<string, { value: number; t: string; flag?: string }> }>(ctx.t, admin, '/api/sites/wwtp-hekou')).body;
    expect(site.latest.cod_mgl?.value).toBe(24.6);
    expect(site.latest.nh3n_mgl?.value).toBe(0.9);
    expect(site.latest.flow_m3h?.value).toBe(2520); // 700 L/s
    expect(Date.parse(site.latest.cod_mgl!.t)).toBe(Date.parse(`${local.slice(0, 19)}+08:00`));
    expect(site.latest.tp_mgl).toMatchObject({ value: 0.31, flag: 'C' }); // flagged C (calibration): shown with its flag, not a reading
    await withDb(ctx.t, async (c) => {
      const r = await c.query<{ value: number; flag: string }>(`SELECT value, flag FROM reading_flagged`);
      expect(r.rows).toEqual([{ value: 0.31, flag: 'C' }]);
      expect((await c.query(`SELECT 1 FROM reading WHERE value = 0.31`)).rows).toEqual([]);
    });
  });

  it('files one dead letter per address per window for broken frames and unknown monitors, sums up the rest, and keeps the connection serving', async () => {
    const good = buildFrame(`QN=1;ST=32;CN=2011;PW=${PW};MN=${MN};Flag=4;CP=&&DataTime=20261127100000;w01001-Rtd=7.1,w01001-Flag=N&&`);
    const badCrc = Buffer.from(good.toString().replace(/[0-9A-F]{4}\r\n$/, '0000\r\n'));
    const unknown = buildFrame(`QN=2;ST=32;CN=2011;PW=${PW};MN=NOBODY;Flag=4;CP=&&DataTime=20261127100000;w01001-Rtd=7&&`);
    await exchange([Buffer.from('garbage'), badCrc, unknown, ...Array.from({ length: 10 }, () => badCrc), good], 1000, '127.0.0.13');
    await waitFor(async () => (await api<{ latest: Record<string, { value: number }> }>(ctx.t, admin, '/api/sites/wwtp-hekou')).body.latest.ph?.value === 7.1, 10_000, 'the good frame stored');
    expect(await lettersFrom('127.0.0.13')).toMatchObject([{ reason: 'bad_frame', detail: expect.stringMatching(/^(no frame header|7 bytes before the frame header)$/), payload: 'garbage' }]);
    await waitFor(async () => (await lettersFrom('127.0.0.13')).length === 2, 10_000, 'the summary dead letter');
    const [summary] = await lettersFrom('127.0.0.13');
    expect(summary).toMatchObject({
      topic: 'hj212/127.0.0.13',
      reason: 'bad_frame',
      detail: `12 more bad frames in the last ${WINDOW_MS / 1000} s (bad_frame 11, unknown_site 1); the last: CRC 0000 does not match ${good.toString().slice(-6, -2)}`,
    });
    // A quiet window closes: the next broken frame is filed at once, on a new connection too.
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 1500));
    await exchange([unknown], 500, '127.0.0.13');
    await waitFor(async () => (await lettersFrom('127.0.0.13')).length === 3, 10_000, 'the next dead letter');
    expect((await lettersFrom('127.0.0.13'))[0]).toMatchObject({ reason: 'unknown_site', detail: 'no plant with MN NOBODY' });
  });

  it('gives one address at most 8 connections: the 9th is closed at once while a monitor on an earlier one keeps working', async () => {
    const before = await droppedCount('address_limit');
    const monitor = await Peer.open('127.0.0.21');
    await monitor.ask(phFrame(7.21), 'the monitor acknowledged');
    const idle = await Promise.all(Array.from({ length: 7 }, () => Peer.open('127.0.0.21')));
    const ninth = await Peer.open('127.0.0.21');
    expect(await ninth.closesWithin(1000)).toBe(true);
    expect(ninth.answers).toEqual([]);
    await monitor.ask(phFrame(7.22), 'the monitor acknowledged after the 9th connection');
    const other = await Peer.open('127.0.0.22'); // another address is not affected
    await other.ask(phFrame(7.23), 'a monitor from another address acknowledged');
    expect(await droppedCount('address_limit')).toBe(before + 1);
    // Once the silent ones are closed, the address may connect again.
    expect(await Promise.all(idle.map((p) => p.closesWithin(HANDSHAKE_MS + 3000)))).toEqual(idle.map(() => true));
    const again = await Peer.open('127.0.0.21');
    await again.ask(phFrame(7.24), 'a new connection acknowledged');
    for (const p of [monitor, other, again]) p.socket.destroy();
  });

  it(`closes a connection that sent no authorized packet within HJ212_HANDSHAKE_MS, however busy; one that did stays`, async () => {
    const before = await droppedCount('no_valid_frame');
    const silent = await Peer.open('127.0.0.31');
    const stranger = await Peer.open('127.0.0.31');
    const monitor = await Peer.open('127.0.0.31');
    await monitor.ask(phFrame(7.31), 'the monitor acknowledged');
    const chatter = setInterval(() => stranger.socket.write(phFrame(7.39, 'guess')), 300);
    try {
      expect(await silent.closesWithin(HANDSHAKE_MS - 1000)).toBe(false);
      await Promise.race([Promise.all([silent.closed, stranger.closed]), new Promise((resolve) => setTimeout(resolve, 4000))]);
    } finally {
      clearInterval(chatter);
    }
    expect(silent.closedAfterMs).toBeGreaterThanOrEqual(HANDSHAKE_MS - 100);
    expect(silent.closedAfterMs).toBeLessThan(HANDSHAKE_MS + 3000);
    expect(stranger.closedAfterMs).toBeLessThan(HANDSHAKE_MS + 3000);
    expect(stranger.answers).toEqual([]);
    expect(monitor.closedAfterMs).toBeNull();
    await monitor.ask(phFrame(7.32), 'the monitor acknowledged after the handshake time');
    expect(await droppedCount('no_valid_frame')).toBe(before + 2);
    monitor.socket.destroy();
  });

  it('joins a message split over several packets, stores it whole and acknowledges each part; refuses parts that disagree', async () => {
    const local = new Date(Date.now() - 5 * 60_000 + 8 * 3_600_000).toISOString();
    const dataTime = local.slice(0, 19).replace(/[-T:]/g, '');
    const head = (pno: number, pnum = 2, qn = `${dataTime}123`) => `QN=${qn};ST=32;CN=2011;PW=${PW};MN=${MN};Flag=7;PNUM=${pnum};PNO=${pno};CP=&&DataTime=${dataTime};`;
    const answers = await exchange([
      buildFrame(`${head(2)}w01012-Rtd=6.5,w01012-Flag=N&&`),
      buildFrame(`${head(1)}w21001-Rtd=9.8,w21001-Flag=N;w01010-Rtd=17.5,w01010-Flag=N&&`),
      // Parts of another message that disagree on how many parts there are.
      buildFrame(`${head(1, 2, 'X1')}w21001-Rtd=1,w21001-Flag=N&&`),
      buildFrame(`${head(2, 3, 'X1')}w21001-Rtd=1,w21001-Flag=N&&`),
    ]);
    const ack = `QN=${dataTime}123;ST=91;CN=9014;PW=${PW};MN=${MN};Flag=4;CP=&&&&`;
    expect(answers).toEqual([ack, ack]);
    const site = (await api<{ latest: Record<string, { value: number; t: string; flag?: string }> }>(ctx.t, admin, '/api/sites/wwtp-hekou')).body;
    expect(site.latest.tn_mgl?.value).toBe(9.8);
    expect(site.latest.ss_mgl?.value).toBe(6.5);
    expect(site.latest.water_temp_c?.value).toBe(17.5);
    expect(Date.parse(site.latest.ss_mgl!.t)).toBe(Date.parse(`${local.slice(0, 19)}+08:00`));
    let letters: { reason: string; topic: string; detail: string | null }[] = [];
    await waitFor(async () => {
      letters = (await api<typeof letters>(ctx.t, admin, '/api/dead-letters')).body;
      return letters.some((l) => l.detail?.includes('disagree on PNUM'));
    }, 10_000, 'the disagreeing split message as a dead letter');
    expect(letters.find((l) => l.detail?.includes('disagree on PNUM'))).toMatchObject({ reason: 'bad_frame' });
  });

  it('refuses a packet whose PW is not the plant’s hj212_pw: no reading, no acknowledgement, a not_authorized dead letter', async () => {
    const dataTime = dataTimeAgo(3);
    const frame = (pw: string) => buildFrame(`QN=${dataTime}777;ST=32;CN=2011;PW=${pw};MN=${MN};Flag=5;CP=&&DataTime=${dataTime};w21001-Rtd=77.7,w21001-Flag=N&&`);
    expect(await exchange([frame('654321')], 1500, '127.0.0.11')).toEqual([]);
    await waitFor(async () => (await lettersFrom('127.0.0.11')).length > 0, 10_000, 'the refused packet as a dead letter');
    expect(await lettersFrom('127.0.0.11')).toMatchObject([{ reason: 'not_authorized', detail: 'PW does not match the hj212_pw of site wwtp-hekou' }]);
    await withDb(ctx.t, async (c) => {
      expect((await c.query(`SELECT 1 FROM reading WHERE value = 77.7`)).rowCount).toBe(0);
    });
    // The same packet with the right PW is stored and acknowledged.
    expect(await exchange([frame(PW)], 1500, '127.0.0.11')).toHaveLength(1);
    await withDb(ctx.t, async (c) => {
      expect((await c.query(`SELECT 1 FROM reading WHERE value = 77.7`)).rowCount).toBe(1);
    });
  });

  it('refuses every packet for a plant that has no hj212_pw', async () => {
    const created = await api(ctx.t, admin, '/api/sites', {
      method: 'POST',
      body: JSON.stringify({ id: 'wwtp-nopw', kind: 'wwtp', name_zh: '无口令厂', name_en: 'No-password plant', lat: 38.85, lon: 121.52, params: { hj212_mn: 'NOPW0001' } }),
    });
    expect(created.status).toBe(201);
    const dataTime = dataTimeAgo(3);
    const frame = buildFrame(`QN=${dataTime}001;ST=32;CN=2011;PW=;MN=NOPW0001;Flag=5;CP=&&DataTime=${dataTime};w01001-Rtd=7.3,w01001-Flag=N&&`);
    expect(await exchange([frame], 1500, '127.0.0.12')).toEqual([]);
    await waitFor(async () => (await lettersFrom('127.0.0.12')).length > 0, 10_000, 'the refused packet as a dead letter');
    expect(await lettersFrom('127.0.0.12')).toMatchObject([{ reason: 'not_authorized', detail: expect.stringMatching(/^no hj212_pw set for site wwtp-nopw/) }]);
    const site = (await api<{ latest: Record<string, unknown> }>(ctx.t, admin, '/api/sites/wwtp-nopw')).body;
    expect(site.latest).toEqual({});
  });

  it('shows a plant’s MN and PW to admins only: not in the site list, the site, or the live feed of viewers and operators', async () => {
    type Site = { id: string; params: Record<string, unknown> };
    for (const role of ['viewer', 'operator'] as const) {
      const token = await addUser(ctx.t, admin, `hj212-${role}`, role);
      const list = (await api<Site[]>(ctx.t, token, '/api/sites')).body;
      const one = (await api<Site>(ctx.t, token, '/api/sites/wwtp-hekou')).body;
      for (const params of [list.find((s) => s.id === 'wwtp-hekou')!.params, one.params]) {
        expect(params).toMatchObject({ standard: 'GB18918-1A' });
        expect(Object.keys(params).filter((k) => k.startsWith('hj212'))).toEqual([]);
      }
    }
    const mine = (await api<Site>(ctx.t, admin, '/api/sites/wwtp-hekou')).body;
    expect(mine.params).toMatchObject({ hj212_mn: MN, hj212_pw: PW });
    const listed = (await api<Site[]>(ctx.t, admin, '/api/sites')).body.find((s) => s.id === 'wwtp-hekou')!;
    expect(listed.params).toMatchObject({ hj212_mn: MN, hj212_pw: PW });

    const s = io(`${ctx.t.httpUrl}/live`, { auth: { token: await login(ctx.t, 'hj212-viewer', TEST_USER_PASSWORD) }, transports: ['websocket'], reconnection: false });
    try {
      const snap = await new Promise<SiteSnapshot>((resolve) => s.on('snapshot', (x: LiveSnapshot) => resolve(x.sites.find((y) => y.id === 'wwtp-hekou')!)));
      expect(snap.params).toMatchObject({ standard: 'GB18918-1A' });
      expect(Object.keys(snap.params ?? {}).filter((k) => k.startsWith('hj212'))).toEqual([]);
    } finally {
      s.close();
    }
  });

  it('stays up and files a dead letter for a packet with a NUL in its MN, its PW or a value name', async () => {
    const dataTime = dataTimeAgo(2);
    const cases = [
      { from: '127.0.0.41', data: `QN=1;ST=32;CN=2011;PW=${PW};MN=0100\u000000A89;Flag=5;CP=&&DataTime=${dataTime};w01001-Rtd=7.4,w01001-Flag=N&&` },
      { from: '127.0.0.42', data: `QN=2;ST=32;CN=2011;PW=1234\u000056;MN=${MN};Flag=5;CP=&&DataTime=${dataTime};w01001-Rtd=7.4,w01001-Flag=N&&` },
      { from: '127.0.0.43', data: `QN=3;ST=32;CN=2011;PW=${PW};MN=${MN};Flag=5;CP=&&DataTime=${dataTime};w01\u0000001-Rtd=7.4,w01001-Flag=N&&` },
    ];
    for (const c of cases) expect(await exchange([buildFrame(c.data)], 500, c.from)).toEqual([]);
    for (const c of cases) {
      await waitFor(async () => (await lettersFrom(c.from)).length > 0, 10_000, `the dead letter from ${c.from}`);
      const [letter] = await lettersFrom(c.from);
      expect(letter).toMatchObject({ reason: 'bad_frame', detail: 'data segment holds a NUL character or an unpaired surrogate' });
      expect(letter!.payload).toContain(`QN=${c.data.slice(3, 4)};`);
    }
    expect((await fetch(`${ctx.t.httpUrl}/api/health`)).status).toBe(200);
    expect(ctx.hub.proc.exitCode).toBeNull();
    expect((await api<{ latest: Record<string, { value: number }> }>(ctx.t, admin, '/api/sites/wwtp-hekou')).body.latest.ph?.value).not.toBe(7.4);
  });
});
