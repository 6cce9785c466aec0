import { describe, expect, it } from 'vitest';
import { planShards, SHARDS, shardOf } from './shard-plan.js';
import { comparePositions } from './stream-position.js';

const set = (...xs: number[]): Set<number> => new Set(xs);
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('sharing the shards', () => {
  it('a hub alone takes every shard', () => {
    expect(planShards(set(), set(), 1).take).toEqual(range(0, SHARDS));
  });

  it('a second hub: the first gives its upper half, the newcomer takes the free half', () => {
    const first = set(...range(0, SHARDS));
    const plan = planShards(first, first, 2);
    expect(plan).toEqual({ take: [], give: range(SHARDS / 2, SHARDS) });
    const newcomer = planShards(set(), set(...range(0, SHARDS / 2)), 2);
    expect(newcomer).toEqual({ take: range(SHARDS / 2, SHARDS), give: [] });
  });

  it('never takes a shard another hub holds', () => {
    const taken = set(...range(0, 30));
    expect(planShards(set(), taken, 3).take).toEqual([30, 31]);
  });

  it('a hub at its fair share does nothing', () => {
    const mine = set(...range(0, 11));
    expect(planShards(mine, set(...range(0, 32)), 3)).toEqual({ take: [], give: [] });
  });

  it('when a hub dies the survivors take its shards up to their fair share', () => {
    // Three hubs held 11, 11 and 10; the third died: the two left aim at 16 each.
    const a = set(...range(0, 11));
    const b = set(...range(11, 22));
    const taken = set(...range(0, 22));
    const planA = planShards(a, taken, 2);
    expect(planA.take).toEqual(range(22, 27));
    const planB = planShards(b, set(...range(0, 27)), 2);
    expect(planB.take).toEqual(range(27, 32));
  });

  it('counts a hub with no members reported as alone', () => {
    expect(planShards(set(), set(), 0).take).toHaveLength(SHARDS);
  });

  it('a site\'s shard is its key modulo the shard count', () => {
    expect([shardOf(1), shardOf(32), shardOf(33), shardOf(95)]).toEqual([1, 0, 1, 31]);
  });
});

describe('stream positions', () => {
  it('order by time, then by sequence, numerically', () => {
    expect(comparePositions('1700000000000-0', '1700000000001-0')).toBe(-1);
    expect(comparePositions('1700000000000-10', '1700000000000-9')).toBe(1);
    expect(comparePositions('1700000000000-3', '1700000000000-3')).toBe(0);
    expect(comparePositions('999-5', '1000-0')).toBe(-1);
    expect(comparePositions('0-0', '1-0')).toBe(-1);
  });
});
