import { describe, expect, it } from 'vitest';
import type { Logger } from '../logging/logger.js';
import { HubMetrics } from '../metrics/metrics.service.js';
import type { LeasesRepository } from './leases.repository.js';
import { ShardLeases, type ShardWorker } from './site-ownership.js';

const log = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as unknown as Logger;

/** Leases as PostgreSQL would grant them to this one hub, among `members` hubs holding `others`. */
function fakeLeases(members: number, others: number[] = []) {
  const mine = new Set<number>();
  const given: number[] = [];
  let onLost = (): void => undefined;
  const repo = {
    open: true,
    join: async () => undefined,
    members: async () => members,
    takenShards: async () => [...others, ...mine],
    tryTakeShard: async (s: number) => (others.includes(s) ? false : (mine.add(s), true)),
    giveShard: async (s: number) => {
      mine.delete(s);
      given.push(s);
    },
    tryLead: async () => true,
    close: () => undefined,
  } as unknown as LeasesRepository;
  return { repo, mine, given, factory: (lost: () => void) => ((onLost = lost), repo), lose: () => onLost() };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

describe('sharing shards among hubs', () => {
  it('takes its fair share and has the worker adopt it', async () => {
    const leases = fakeLeases(2, Array.from({ length: 16 }, (_, i) => i));
    const adopted: number[][] = [];
    const worker: ShardWorker = { adopt: async (s) => void adopted.push(s), relinquish: async () => undefined, forget: () => undefined };
    const own = new ShardLeases(leases.factory, 60_000, log, new HubMetrics());
    own.attach(worker);
    await settle();
    expect(adopted).toEqual([Array.from({ length: 16 }, (_, i) => i + 16)]);
    expect(own.isLeader()).toBe(true);
  });

  it('gives the leases back when the worker cannot adopt them', async () => {
    const leases = fakeLeases(1);
    const worker: ShardWorker = { adopt: async () => Promise.reject(new Error('database away')), relinquish: async () => undefined, forget: () => undefined };
    const own = new ShardLeases(leases.factory, 60_000, log, new HubMetrics());
    own.attach(worker);
    await settle();
    expect(leases.given).toHaveLength(32);
    expect(own.shards.size).toBe(0);
  });

  it('keeps shards whose states could not be saved instead of handing them on', async () => {
    const leases = fakeLeases(1);
    let fail = true;
    const worker: ShardWorker = {
      adopt: async () => undefined,
      relinquish: async () => (fail ? Promise.reject(new Error('save failed')) : undefined),
      forget: () => undefined,
    };
    const own = new ShardLeases(leases.factory, 60_000, log, new HubMetrics());
    own.attach(worker);
    await settle();
    expect(own.shards.size).toBe(32);
    await own.stop(); // the stop's hand-over fails too: nothing is given one by one, the session just ends
    expect(leases.given).toEqual([]);
    fail = false;
  });

  it('an adoption that outlives a lost session does not take effect', async () => {
    const leases = fakeLeases(1);
    let held: (() => boolean) | null = null;
    const forgotten: number[][] = [];
    const worker: ShardWorker = {
      adopt: async (_s, stillHeld) => {
        held = stillHeld;
      },
      relinquish: async () => undefined,
      forget: (s) => void forgotten.push(s),
    };
    const own = new ShardLeases(leases.factory, 60_000, log, new HubMetrics());
    own.attach(worker);
    await settle();
    expect(held!()).toBe(true);
    leases.lose();
    expect(held!()).toBe(false);
    expect(forgotten[0]).toHaveLength(32);
    expect(own.shards.size).toBe(0);
  });
});
