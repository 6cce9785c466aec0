import { shardOf } from '../cluster/site-ownership.js';
import { comparePositions } from '../cluster/stream-position.js';

/**
 * Which shards of sites an alert engine judges, and from where in the cluster stream.
 * `null` shards: a hub on its own, judging every site. A shard adopted with states saved
 * further along the stream than this engine has read is not judged again up to there.
 */
export class JudgedShards {
  private readonly shards: Set<number> | null;
  /** Shard → the position its adopted states are true at, while this engine has not read past it. */
  private readonly aheadUntil = new Map<number, string>();

  constructor(clustered: boolean) {
    this.shards = clustered ? new Set() : null;
  }

  get clustered(): boolean {
    return this.shards !== null;
  }

  /** Whether a site's data at this stream position is judged here. */
  judges(siteKey: number, position: string | null = null): boolean {
    if (this.shards === null) return true;
    const shard = shardOf(siteKey);
    if (!this.shards.has(shard)) return false;
    const until = this.aheadUntil.get(shard);
    return until === undefined || position === null || comparePositions(position, until) > 0;
  }

  /** This engine has read up to `position`: shards adopted ahead of it are caught up once it passes them. */
  reached(position: string): void {
    if (this.aheadUntil.size === 0) return;
    for (const [shard, until] of this.aheadUntil) if (comparePositions(position, until) >= 0) this.aheadUntil.delete(shard);
  }

  /** Starts judging shards whose states are true at `saved` (absent: never saved), this engine being at `at`. */
  add(shards: number[], saved: ReadonlyMap<number, string>, at: string): void {
    for (const s of shards) {
      this.shards?.add(s);
      const p = saved.get(s);
      if (p !== undefined && comparePositions(p, at) > 0) this.aheadUntil.set(s, p);
    }
  }

  remove(shards: readonly number[]): void {
    for (const s of shards) {
      this.shards?.delete(s);
      this.aheadUntil.delete(s);
    }
  }

  /** For each shard judged, the position its states are true at when this engine is at `at`. */
  cursors(at: string): { shard: number; position: string }[] {
    if (this.shards === null) return [];
    return [...this.shards].map((shard) => {
      const until = this.aheadUntil.get(shard);
      return { shard, position: until !== undefined && comparePositions(until, at) > 0 ? until : at };
    });
  }
}
