import type { Assignee, DutyArea, DutyShift } from '@tidewatch/contracts';
import type pg from 'pg';
import { AssigneeMayNotActError, MAY_ACT, NoSuchAssigneeError } from '../alerts/alerts.repository.js';
import { ConflictError, NotFoundError } from '../common/domain-errors.js';
import { isoUtc as ISO } from '../common/sql.js';

/** The most shifts one listing gives (62 days of four areas, three shifts a day, several on call). */
export const MAX_ROSTER_ROWS = 5000;


const SELECT = `
SELECT d.id, d.area, u.username, d.position::int AS position, ${ISO('d.start_at')} AS start_at, ${ISO('d.end_at')} AS end_at,
  d.note, d.created_by, ${ISO('d.updated_at')} AS updated_at
FROM duty_shift d JOIN app_user u ON u.id = d.user_id`;

/** A shift as the roster's cache holds it: of a person who may act on alerts now. */
export interface CachedShift {
  id: number;
  area: DutyArea;
  username: string;
  position: number;
  startMs: number;
  endMs: number;
}

export interface ShiftValues {
  area: DutyArea;
  username: string;
  position: number;
  start: Date;
  end: Date;
  note: string;
}

export class ShiftNotFoundError extends NotFoundError {
  constructor(id: number) {
    super(`no shift ${id}`);
  }
}
/** The shift overlaps another of the same area at the same position, or of the same person. */
export class ShiftOverlapError extends ConflictError {
  override readonly code = 'shift_overlap';
  constructor(what: 'position' | 'person', other: number) {
    super(what === 'position' ? `shift ${other} holds that area and position during that time` : `shift ${other} has that person on duty in that area during that time`);
  }
}

/** The duty_shift table (db/migrations/013_duty_roster.sql). */
export class RosterRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Shifts overlapping [from, to), by start then area and position. */
  async list(from: Date, to: Date, area?: DutyArea): Promise<DutyShift[]> {
    const { rows } = await this.pool.query<DutyShift>(
      `${SELECT} WHERE d.end_at > $1 AND d.start_at < $2 AND ($3::text IS NULL OR d.area = $3)
       ORDER BY d.start_at, d.area, d.position, d.id LIMIT ${MAX_ROSTER_ROWS}`,
      [from, to, area ?? null],
    );
    return rows;
  }

  async get(id: number): Promise<DutyShift | null> {
    const { rows } = await this.pool.query<DutyShift>(`${SELECT} WHERE d.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Shifts of people who may act on alerts, overlapping [from, to): what the on-call cache holds. */
  async window(from: Date, to: Date): Promise<CachedShift[]> {
    const { rows } = await this.pool.query<{ id: number; area: DutyArea; username: string; position: number; start_ms: string; end_ms: string }>(
      `SELECT d.id, d.area, u.username, d.position::int AS position,
         (extract(epoch FROM d.start_at) * 1000)::bigint AS start_ms, (extract(epoch FROM d.end_at) * 1000)::bigint AS end_ms
       FROM duty_shift d JOIN app_user u ON u.id = d.user_id
       WHERE d.end_at > $1 AND d.start_at < $2 AND ${MAY_ACT}`,
      [from, to],
    );
    return rows.map((r) => ({ id: r.id, area: r.area, username: r.username, position: r.position, startMs: Number(r.start_ms), endMs: Number(r.end_ms) }));
  }

  /** Everyone an alert may be assigned to, by name. */
  async assignable(): Promise<Assignee[]> {
    const { rows } = await this.pool.query<Assignee>(`SELECT u.username, u.role FROM app_user u WHERE ${MAY_ACT} ORDER BY lower(u.username)`);
    return rows;
  }

  async create(v: ShiftValues, actor: string): Promise<DutyShift> {
    return this.write(async (c) => {
      const userId = await this.checked(c, v, null);
      const { rows } = await c.query<{ id: number }>(
        `INSERT INTO duty_shift (area, user_id, position, start_at, end_at, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [v.area, userId, v.position, v.start, v.end, v.note, actor],
      );
      return rows[0]!.id;
    });
  }

  /** Replaces a shift's values (the caller merged the change into the shift as it was). */
  async update(id: number, v: ShiftValues): Promise<DutyShift> {
    return this.write(async (c) => {
      const { rowCount } = await c.query('SELECT 1 FROM duty_shift WHERE id = $1 FOR UPDATE', [id]);
      if (!rowCount) throw new ShiftNotFoundError(id);
      const userId = await this.checked(c, v, id);
      await c.query(`UPDATE duty_shift SET area = $2, user_id = $3, position = $4, start_at = $5, end_at = $6, note = $7, updated_at = now() WHERE id = $1`, [
        id,
        v.area,
        userId,
        v.position,
        v.start,
        v.end,
        v.note,
      ]);
      return id;
    });
  }

  async remove(id: number): Promise<void> {
    const { rowCount } = await this.pool.query('DELETE FROM duty_shift WHERE id = $1', [id]);
    if (!rowCount) throw new ShiftNotFoundError(id);
  }

  /** The person's user id once the shift may be written: they may act on alerts, and nothing overlaps it. */
  private async checked(c: pg.PoolClient, v: ShiftValues, self: number | null): Promise<number> {
    const user = await c.query<{ id: number; may_act: boolean }>(`SELECT u.id, ${MAY_ACT} AS may_act FROM app_user u WHERE lower(u.username) = lower($1)`, [v.username]);
    if (!user.rows[0]) throw new NoSuchAssigneeError();
    if (!user.rows[0].may_act) throw new AssigneeMayNotActError();
    const userId = user.rows[0].id;
    const { rows } = await c.query<{ id: number; same_position: boolean }>(
      `SELECT id, position = $3 AS same_position FROM duty_shift
       WHERE area = $1 AND end_at > $4 AND start_at < $5 AND (position = $3 OR user_id = $2) AND id IS DISTINCT FROM $6::int
       ORDER BY same_position DESC, id LIMIT 1`,
      [v.area, userId, v.position, v.start, v.end, self],
    );
    const clash = rows[0];
    if (clash) throw new ShiftOverlapError(clash.same_position ? 'position' : 'person', clash.id);
    return userId;
  }

  /** One write under the roster's lock (writes are rare: they simply take turns), answering the shift written. */
  private async write(fn: (c: pg.PoolClient) => Promise<number>): Promise<DutyShift> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('tidewatch.duty_shift'))`);
      const id = await fn(c);
      const { rows } = await c.query<DutyShift>(`${SELECT} WHERE d.id = $1`, [id]);
      await c.query('COMMIT');
      return rows[0]!;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }
}
