/**
 * A private Mosquitto for the multi-hub run: the queue limits of the production broker
 * (docker/mosquitto/mosquitto.conf), without passwords or persistence, on a free port, so
 * the run neither depends on nor disturbs the machine's shared broker.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from '../src/common/net.js';

export interface PrivateBroker {
  url: string;
  stop(): Promise<void>;
}

export async function startPrivateMosquitto(): Promise<PrivateBroker> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tidewatch-bench-mosquitto-'));
  const port = await freeLoopbackPort();
  const conf = path.join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'max_queued_messages 1000000', 'max_queued_bytes 0', 'max_packet_size 131072', 'log_dest stderr', 'log_type error', ''].join('\n'),
  );
  const proc = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`private mosquitto exited: ${err}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error(`private mosquitto not listening: ${err}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
