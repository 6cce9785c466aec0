import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { PoolClosedError, WorkerFailedError, WorkerPool } from './worker-pool.js';

/** A worker speaking the pool's protocol: `{ms, text}` answers the text after ms; "die" exits; "spin" never answers. */
const CODE = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', (t) => {
  if (t.text === 'die') process.exit(3);
  if (t.text === 'spin') for (;;);
  if (t.text === 'throw') return parentPort.postMessage({ ok: false, error: 'bad input' });
  setTimeout(() => parentPort.postMessage({ ok: true, value: t.text + '@' + threadId }), t.ms ?? 0);
});`;

let pools: WorkerPool<unknown, string>[] = [];
function pool(size: number, timeoutMs = 5000): { p: WorkerPool<{ text: string; ms?: number }, string>; spawned: () => number; failures: Error[] } {
  let spawned = 0;
  const failures: Error[] = [];
  const p = new WorkerPool<{ text: string; ms?: number }, string>(
    () => {
      spawned++;
      return new Worker(CODE, { eval: true });
    },
    size,
    timeoutMs,
    (e) => failures.push(e),
  );
  pools.push(p as WorkerPool<unknown, string>);
  return { p, spawned: () => spawned, failures };
}

afterEach(async () => {
  await Promise.all(pools.map((p) => p.close()));
  pools = [];
});

describe('WorkerPool', () => {
  it('starts no worker until a task comes, and never more than its size', async () => {
    const { p, spawned } = pool(1);
    expect(spawned()).toBe(0);
    const results = await Promise.all(['a', 'b', 'c'].map((text) => p.run({ text, ms: 20 })));
    expect(spawned()).toBe(1);
    const thread = results[0]!.split('@')[1];
    expect(results).toEqual([`a@${thread}`, `b@${thread}`, `c@${thread}`]);
  });

  it('fails the task of a worker that dies and starts a fresh worker for the next one', async () => {
    const { p, spawned, failures } = pool(1);
    const first = await p.run({ text: 'x' });
    await expect(p.run({ text: 'die' })).rejects.toThrow(WorkerFailedError);
    const after = await p.run({ text: 'y' });
    expect(spawned()).toBe(2);
    expect(after.split('@')[1]).not.toBe(first.split('@')[1]);
    expect(failures[0]!.message).toMatch(/exited \(code 3\)/);
  });

  it('passes on an error the task reports, keeping the worker', async () => {
    const { p, spawned } = pool(1);
    await expect(p.run({ text: 'throw' })).rejects.toThrow('bad input');
    await p.run({ text: 'ok' });
    expect(spawned()).toBe(1);
  });

  it('terminates a worker that overruns its time; the tasks behind it still run', async () => {
    const { p } = pool(1, 300);
    const stuck = p.run({ text: 'spin' });
    const next = p.run({ text: 'z' });
    await expect(stuck).rejects.toThrow(/longer than 300 ms/);
    expect(await next).toMatch(/^z@/);
  });

  it('on close, stops its workers and refuses waiting and new tasks', async () => {
    const { p } = pool(1);
    const running = p.run({ text: 'slow', ms: 5000 });
    const waiting = p.run({ text: 'later' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const refused = [expect(running).rejects.toThrow(PoolClosedError), expect(waiting).rejects.toThrow(PoolClosedError)];
    await p.close();
    await Promise.all(refused);
    await expect(p.run({ text: 'new' })).rejects.toThrow(PoolClosedError);
    expect(p.workers).toBe(0);
  });
});
