import { describe, expect, it } from 'vitest';
import { JudgedShards } from './judged-shards.js';

// Site keys 1 and 33 are in shard 1, 2 in shard 2 (32 shards).
describe('the shards an alert engine judges', () => {
  it('a hub on its own judges every site and keeps no positions', () => {
    const j = new JudgedShards(false);
    expect(j.judges(1, '5-0') && j.judges(2)).toBe(true);
    expect(j.cursors('9-0')).toEqual([]);
  });

  it('a hub of a cluster judges only the shards it added, until it removes them', () => {
    const j = new JudgedShards(true);
    expect(j.judges(1)).toBe(false);
    j.add([1], new Map(), '10-0');
    expect([j.judges(1), j.judges(33), j.judges(2)]).toEqual([true, true, false]);
    j.remove([1]);
    expect(j.judges(1)).toBe(false);
  });

  it('states saved ahead of this engine: what it reads up to there is not judged again, and its cursor stays there', () => {
    const j = new JudgedShards(true);
    j.add([1, 2], new Map([[1, '20-0'], [2, '5-0']]), '10-0');
    expect(j.judges(1, '15-0')).toBe(false); // the old owner judged it already
    expect(j.judges(1, '20-0')).toBe(false);
    expect(j.judges(2, '15-0')).toBe(true); // saved behind: replayed, then judged live
    expect(j.cursors('15-0')).toEqual([
      { shard: 1, position: '20-0' },
      { shard: 2, position: '15-0' },
    ]);
    j.reached('20-0');
    expect(j.judges(1, '20-1')).toBe(true);
    expect(j.cursors('21-0')).toEqual([
      { shard: 1, position: '21-0' },
      { shard: 2, position: '21-0' },
    ]);
  });

  it('judges a site outside the stream (a timer tick) whenever its shard is judged', () => {
    const j = new JudgedShards(true);
    j.add([1], new Map([[1, '20-0']]), '10-0');
    expect(j.judges(1)).toBe(true);
  });
});
