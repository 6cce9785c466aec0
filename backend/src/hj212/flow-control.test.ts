import { describe, expect, it } from 'vitest';
import { FlowControl, type InflightGauge } from './flow-control.js';

function socket(): { paused: boolean; destroyed: boolean; pause(): void; resume(): void } {
  return {
    paused: false,
    destroyed: false,
    pause() {
      this.paused = true;
    },
    resume() {
      this.paused = false;
    },
  };
}

function gauge(): InflightGauge & { n: number; drain(): void } {
  let waiters: { limit: number; resolve: () => void }[] = [];
  return {
    n: 0,
    get inflightCount() {
      return this.n;
    },
    whenInflightBelow(limit: number) {
      return this.n < limit ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ limit, resolve }));
    },
    drain() {
      const ready = waiters.filter((w) => this.n < w.limit);
      waiters = waiters.filter((w) => this.n >= w.limit);
      for (const w of ready) w.resolve();
    },
  };
}

/** A frame's work that finishes when told to. */
function pending(): { work: () => Promise<void>; finish: () => void } {
  let finish = (): void => undefined;
  const p = new Promise<void>((resolve) => (finish = resolve));
  return { work: () => p, finish };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('HJ 212 flow control', () => {
  it('pauses a connection while more than N of its frames are in flight, and only that one', async () => {
    const flow = new FlowControl(gauge(), 2, 100);
    const a = socket();
    const b = socket();
    flow.add(a);
    flow.add(b);
    const frames = [pending(), pending(), pending()];
    const done = frames.map((f) => flow.track(a, f.work));
    expect(flow.inflightOf(a)).toBe(3);
    expect(a.paused).toBe(true);
    expect(b.paused).toBe(false);
    frames[0]!.finish();
    await done[0];
    expect(a.paused).toBe(false); // 2 in flight: not more than N
    frames[1]!.finish();
    frames[2]!.finish();
    await Promise.all(done);
    expect(flow.inflightOf(a)).toBe(0);
  });

  it('pauses every connection while ingest is at its limit, and resumes them when it drains', async () => {
    const ingest = gauge();
    const flow = new FlowControl(ingest, 10, 5);
    const a = socket();
    const idle = socket();
    flow.add(a);
    flow.add(idle);
    ingest.n = 5; // full, e.g. from MQTT
    const f = pending();
    const done = flow.track(a, f.work);
    expect(a.paused).toBe(true);
    expect(idle.paused).toBe(true);
    ingest.n = 4;
    ingest.drain();
    await settle();
    expect(a.paused).toBe(false);
    expect(idle.paused).toBe(false);
    f.finish();
    await done;
  });

  it('holds a paused connection back, and lets it handle its held frames before it reads again', async () => {
    const flow = new FlowControl(gauge(), 1, 100);
    const a = socket();
    const order: string[] = [];
    const resume = a.resume.bind(a);
    a.resume = () => {
      order.push('resume');
      resume();
    };
    flow.add(a, () => order.push('held frames'));
    const frames = [pending(), pending()];
    const done = frames.map((f) => flow.track(a, f.work));
    expect(flow.holds(a)).toBe(true);
    frames[0]!.finish();
    await done[0];
    expect(flow.holds(a)).toBe(false);
    expect(order).toEqual(['held frames', 'resume']);
    frames[1]!.finish();
    await done[1];
  });

  it('forgets a closed connection', async () => {
    const flow = new FlowControl(gauge(), 0, 100);
    const a = socket();
    flow.add(a);
    const f = pending();
    const done = flow.track(a, f.work);
    flow.release(a);
    f.finish();
    await done;
    expect(flow.inflightOf(a)).toBe(0);
  });
});
