/** Sites are judged by shard: a site's shard is its key modulo this (a fixed number, the same on every hub). */
export const SHARDS = 32;

export function shardOf(siteKey: number, shards = SHARDS): number {
  return siteKey % shards;
}

/**
 * One round of sharing the shards among the hubs: each hub aims at its fair share (the
 * shards divided by the hubs, rounded up); one over it gives its highest shards away, one
 * under it takes free shards, lowest first. Hubs that give wait for the next round to take.
 */
export function planShards(mine: ReadonlySet<number>, taken: ReadonlySet<number>, members: number, shards = SHARDS): { take: number[]; give: number[] } {
  const fair = Math.ceil(shards / Math.max(1, members));
  const held = [...mine].sort((a, b) => a - b);
  if (held.length > fair) return { take: [], give: held.slice(fair) };
  const take: number[] = [];
  for (let s = 0; s < shards && held.length + take.length < fair; s++) if (!taken.has(s) && !mine.has(s)) take.push(s);
  return { take, give: [] };
}
