import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from '../../src/common/net.js';
import { waitFor } from './hub-process.js';

export const MOSQUITTO = '/usr/sbin/mosquitto';
export const mosquittoAvailable = existsSync(MOSQUITTO);

/**
 * A Mosquitto of the test's own on a spare port, which the test may stop, kill and start
 * again on the same port. Its settings default to those of docker/mosquitto/mosquitto.conf
 * that matter for delivery (persistence, the hub's queue), with anonymous devices.
 */
export interface PrivateMosquitto {
  url: string;
  port: number;
  dir: string;
  start(): Promise<void>;
  /** Stops the broker with `signal` and waits for it to exit. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  destroy(): Promise<void>;
  log(): string;
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

export const PRODUCTION_LIKE = [
  'allow_anonymous true',
  'persistence true',
  'autosave_interval 60',
  'max_queued_messages 1000000',
  'max_queued_bytes 0',
  'max_packet_size 131072',
];

export async function startPrivateMosquitto(settings: string[] = PRODUCTION_LIKE): Promise<PrivateMosquitto> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidewatch-mosquitto-'));
  const port = await freeLoopbackPort();
  const conf = path.join(dir, 'mosquitto.conf');
  // Run as root, Mosquitto would switch to its own user, who cannot write the temporary directory.
  const runAs = process.getuid?.() === 0 ? ['user root'] : [];
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, `persistence_location ${dir}/`, ...settings, ...runAs, 'log_dest stderr', ''].join('\n'));
  let proc: ChildProcess | null = null;
  let log = '';
  const broker: PrivateMosquitto = {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    dir,
    async start() {
      const p = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
      proc = p;
      p.stdout!.on('data', (d: Buffer) => (log += d.toString()));
      p.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      await waitFor(async () => p.exitCode === null && (await portOpen(port)), 10_000, `mosquitto listening on ${port} (${log})`);
    },
    async stop(signal = 'SIGTERM') {
      const p = proc;
      if (!p || p.exitCode !== null || p.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
      p.kill(signal);
      await exited;
    },
    async destroy() {
      await broker.stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => log,
  };
  await broker.start();
  return broker;
}
