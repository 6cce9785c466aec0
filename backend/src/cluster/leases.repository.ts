import type pg from 'pg';

/** Advisory-lock namespaces (the first of PostgreSQL's two lock keys). */
const MEMBER = 7_411_001;
const SHARD = 7_411_002;
const LEADER = 7_411_003;

/**
 * A hub's leases in a cluster, held as PostgreSQL session advisory locks on one connection of
 * its own: its membership, the shards of sites whose rules it judges, and the cluster's
 * singleton tasks. PostgreSQL releases all of them the moment that connection ends, so a hub
 * that dies hands everything on without waiting for a lease to expire, and no two sessions
 * ever hold the same lock.
 */
export class LeasesRepository {
  private client: pg.PoolClient | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly memberId: number,
    /** Called once when the session holding the locks is lost (all of them are gone then). */
    private readonly onLost: () => void,
  ) {}

  get open(): boolean {
    return this.client !== null;
  }

  /** Opens the session and joins the cluster. */
  async join(): Promise<void> {
    const client = await this.pool.connect();
    client.on('error', () => this.lost(client));
    try {
      await client.query('SELECT pg_advisory_lock($1, $2)', [MEMBER, this.memberId]);
    } catch (err) {
      client.release(true);
      throw err;
    }
    this.client = client;
  }

  /** Hubs in the cluster now (this one included). */
  async members(): Promise<number> {
    return (await this.held(MEMBER)).length;
  }

  /** Shards some hub holds now (this one included). */
  async takenShards(): Promise<number[]> {
    return this.held(SHARD);
  }

  async tryTakeShard(shard: number): Promise<boolean> {
    return this.tryLock(SHARD, shard);
  }

  async giveShard(shard: number): Promise<void> {
    await this.session().query('SELECT pg_advisory_unlock($1, $2)', [SHARD, shard]);
  }

  /** Takes the singleton tasks if no hub has them; true while this hub has them. */
  async tryLead(): Promise<boolean> {
    return this.tryLock(LEADER, 0);
  }

  /** Ends the session: every lock goes with it. */
  close(): void {
    const c = this.client;
    this.client = null;
    c?.release(true);
  }

  private async tryLock(space: number, id: number): Promise<boolean> {
    const { rows } = await this.session().query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [space, id]);
    return rows[0]!.ok;
  }

  private async held(space: number): Promise<number[]> {
    const { rows } = await this.session().query<{ id: number }>(
      `SELECT objid::bigint::int AS id FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = $1::int::oid
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [space],
    );
    return rows.map((r) => r.id);
  }

  private session(): pg.PoolClient {
    if (!this.client) throw new Error('cluster session closed');
    return this.client;
  }

  private lost(client: pg.PoolClient): void {
    if (this.client !== client) return;
    this.client = null;
    client.release(true);
    this.onLost();
  }
}
