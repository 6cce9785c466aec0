import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SAME_SIGNAL_MS, stopOnSignals } from './stop-signals.js';

describe('stopOnSignals', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(stop: () => Promise<void>) {
    const exits: number[] = [];
    const notes: string[] = [];
    const onSignal = stopOnSignals({ stop, exit: (c) => exits.push(c), note: (m) => notes.push(m) }, 1000);
    return { onSignal, exits, notes };
  }

  it('stops once and exits 0 when stopping finishes', async () => {
    const stop = vi.fn(() => Promise.resolve());
    const { onSignal, exits, notes } = setup(stop);
    onSignal('SIGTERM');
    await vi.advanceTimersByTimeAsync(0);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(exits).toEqual([0]);
    expect(notes.at(-1)).toBe('stopped');
    await vi.advanceTimersByTimeAsync(2000);
    expect(exits).toEqual([0]);
  });

  it('exits 1 when stopping takes longer than the limit', async () => {
    const { onSignal, exits, notes } = setup(() => new Promise(() => undefined));
    onSignal('SIGINT');
    await vi.advanceTimersByTimeAsync(999);
    expect(exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(exits).toEqual([1]);
    expect(notes.at(-1)).toContain('still stopping');
  });

  it('exits at once with 130 on a second signal, without stopping twice', async () => {
    const stop = vi.fn(() => new Promise<void>(() => undefined));
    const { onSignal, exits } = setup(stop);
    onSignal('SIGINT');
    await vi.advanceTimersByTimeAsync(SAME_SIGNAL_MS);
    onSignal('SIGINT');
    expect(exits).toEqual([130]);
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('takes the copy npm forwards right after the terminal Ctrl-C for the same signal', async () => {
    const { onSignal, exits } = setup(() => new Promise<void>(() => undefined));
    onSignal('SIGINT');
    await vi.advanceTimersByTimeAsync(20);
    onSignal('SIGINT');
    expect(exits).toEqual([]);
  });

  it('exits 1 when stopping fails', async () => {
    const { onSignal, exits, notes } = setup(() => Promise.reject(new Error('pool gone')));
    onSignal('SIGHUP');
    await vi.advanceTimersByTimeAsync(0);
    expect(exits).toEqual([1]);
    expect(notes.at(-1)).toContain('pool gone');
  });
});
