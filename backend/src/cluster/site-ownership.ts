import type { Logger } from '../logging/logger.js';
import type { HubMetrics } from '../metrics/metrics.service.js';
import type { LeasesRepository } from './leases.repository.js';
import { planShards, SHARDS, shardOf } from './shard-plan.js';

/** What judges the sites' rules: told which shards it gains and loses. */
export interface ShardWorker {
  /**
   * Starts judging these shards' sites: loads their saved rule states and catches up on what
   * came after; does nothing if `held()` is false by then. Rejects if it could not.
   */
  adopt(shards: number[], held: () => boolean): Promise<void>;
  /** Stops judging them once their rule states are saved (their leases go right after); rejects, still judging them, if it could not. */
  relinquish(shards: number[]): Promise<void>;
  /** Stops judging them at once: their leases are already gone. */
  forget(shards: number[]): void;
}

/** Which sites this hub judges the rules of, and whether it runs the cluster's once-only tasks. */
export interface SiteOwnership {
  /** False on a single hub: it judges every site and runs every task. */
  readonly clustered: boolean;
  isLeader(): boolean;
  attach(worker: ShardWorker): void;
  stop(): Promise<void>;
}

/** A hub on its own owns the whole district. */
export class WholeDistrict implements SiteOwnership {
  readonly clustered = false;
  isLeader(): boolean {
    return true;
  }
  attach(): void {}
  async stop(): Promise<void> {}
}

/**
 * A hub of a cluster: every CLUSTER_REBALANCE_MS it counts the hubs, gives away the shards
 * over its fair share (after their states are saved) and takes free ones, and takes the
 * once-only tasks if no hub has them. Leases are PostgreSQL session locks
 * (leases.repository.ts): a hub that dies frees its shards at once, and the others take them
 * within one round.
 */
export class ShardLeases implements SiteOwnership {
  readonly clustered = true;
  private readonly mine = new Set<number>();
  private leading = false;
  private worker: ShardWorker | null = null;
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Counts lost sessions: an adoption begun before a loss must not take effect after it. */
  private generation = 0;

  constructor(
    private readonly leases: (onLost: () => void) => LeasesRepository,
    private readonly rebalanceMs: number,
    private readonly log: Logger,
    private readonly metrics: Pick<HubMetrics, 'clusterShardHeld' | 'clusterLeader'>,
  ) {
    metrics.clusterLeader.set(0);
  }

  private repo: LeasesRepository | null = null;

  isLeader(): boolean {
    return this.leading;
  }

  /** The shards this hub holds now. */
  get shards(): ReadonlySet<number> {
    return this.mine;
  }

  attach(worker: ShardWorker): void {
    this.worker = worker;
    this.repo = this.leases(() => this.lost());
    const run = (): void => {
      this.round = this.round.then(() => this.rebalance()).catch((err: unknown) => this.log.warn({ err: String(err) }, 'cluster rebalance failed; trying again'));
    };
    run();
    this.timer = setInterval(run, this.rebalanceMs);
    this.timer.unref();
  }

  /** Hands every shard on (states saved first) and leaves the cluster. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.round;
    const held = [...this.mine];
    if (held.length > 0 && this.worker && this.repo?.open) {
      await this.worker.relinquish(held).catch((err: unknown) => this.log.warn({ err: String(err) }, 'rule states not saved at hand-over'));
    }
    this.mine.clear();
    this.leading = false;
    this.metrics.clusterShardHeld.reset();
    this.metrics.clusterLeader.set(0);
    this.repo?.close();
  }

  private async rebalance(): Promise<void> {
    const repo = this.repo!;
    if (this.stopped) return;
    if (!repo.open) await repo.join();
    if (!this.leading && (await repo.tryLead())) {
      this.leading = true;
      this.metrics.clusterLeader.set(1);
      this.log.info('this hub runs the cluster\'s once-only tasks');
    }
    const members = await repo.members();
    const taken = new Set(await repo.takenShards());
    const { take, give } = planShards(this.mine, taken, members);
    if (give.length > 0) {
      // States saved first; a failed save keeps the shards here for the next round.
      await this.worker!.relinquish(give);
      await this.release(repo, give);
      this.log.info({ gave: give, members }, 'shards handed on');
    }
    const got: number[] = [];
    const generation = this.generation;
    try {
      for (const s of take) {
        if (!(await repo.tryTakeShard(s))) continue;
        got.push(s);
        this.mine.add(s);
        this.metrics.clusterShardHeld.set({ shard: s }, 1);
      }
    } finally {
      if (got.length > 0) await this.adopt(repo, got, generation, members);
    }
  }

  private async adopt(repo: LeasesRepository, shards: number[], generation: number, members: number): Promise<void> {
    try {
      await this.worker!.adopt(shards, () => this.generation === generation);
      this.log.info({ took: shards, members }, 'shards taken');
    } catch (err) {
      // Not judged here after all: the leases go back for this or another hub's next round.
      this.log.warn({ shards, err: String(err) }, 'shards not adopted; handing them back');
      if (this.generation === generation) await this.release(repo, shards);
    }
  }

  /** Gives leases back; if that fails the session is closed, which gives back all of them. */
  private async release(repo: LeasesRepository, shards: number[]): Promise<void> {
    try {
      for (const s of shards) {
        await repo.giveShard(s);
        this.mine.delete(s);
        this.metrics.clusterShardHeld.set({ shard: s }, 0);
      }
    } catch (err) {
      this.log.warn({ err: String(err) }, 'a lease could not be given back: leaving the cluster session');
      repo.close();
      this.lost();
    }
  }

  private lost(): void {
    this.generation++;
    const had = [...this.mine];
    this.mine.clear();
    this.leading = false;
    this.metrics.clusterShardHeld.reset();
    this.metrics.clusterLeader.set(0);
    this.worker?.forget(had);
    this.log.warn({ shards: had.length }, 'cluster session lost: this hub judges no site until it joins again');
  }
}

export { SHARDS, shardOf };
