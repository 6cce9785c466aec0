import argon2 from 'argon2';
import type pg from 'pg';
import type { UserRecord } from '@tidewatch/contracts';
import { ConflictError } from '../common/domain-errors.js';
import { isoUtc } from '../common/sql.js';
import type { Role } from './roles.js';

/** A user row as the API shows it. */
export type UserRow = UserRecord;

/** What a request needs of its user, read at every request (roles and removal take effect at once). */
export interface SessionUser {
  id: number;
  username: string;
  role: Role;
  must_change_password: boolean;
}

export class UsernameTakenError extends ConflictError {}

const COLUMNS = `id, username, role, disabled, must_change_password, ${isoUtc('created_at')} AS created_at, ${isoUtc('password_changed_at')} AS password_changed_at`;
const HASH_OPTIONS = { type: argon2.argon2id } as const;

/** Users of the dashboard and API; passwords kept as argon2id hashes. */
export class UsersRepository {
  /** Verified when a username is unknown, so an unknown name costs as long as a wrong password. */
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly pool: pg.Pool) {}

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM app_user');
    return rows[0]?.n ?? 0;
  }

  /** `generated` when the hub made the password up (see db/migrations/011_generated_password.sql). */
  async create(username: string, password: string, role: Role, mustChangePassword = false, generated = false): Promise<UserRow> {
    const hash = await argon2.hash(password, HASH_OPTIONS);
    try {
      const { rows } = await this.pool.query<UserRow>(
        `INSERT INTO app_user (username, password_hash, role, must_change_password, password_generated) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [username, hash, role, mustChangePassword, generated],
      );
      return rows[0]!;
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new UsernameTakenError(`user ${username} exists (usernames are compared without case)`);
      throw err;
    }
  }

  async list(): Promise<UserRow[]> {
    const { rows } = await this.pool.query<UserRow>(`SELECT ${COLUMNS} FROM app_user ORDER BY id`);
    return rows;
  }

  async get(id: number): Promise<UserRow | null> {
    const { rows } = await this.pool.query<UserRow>(`SELECT ${COLUMNS} FROM app_user WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /**
   * The user when the password matches and the account is enabled, else null. Unknown and
   * disabled users take the same time as a wrong password (one argon2 verification).
   */
  async verify(username: string, password: string): Promise<UserRow | null> {
    const { rows } = await this.pool.query<UserRow & { password_hash: string }>(
      `SELECT ${COLUMNS}, password_hash FROM app_user WHERE lower(username) = lower($1)`,
      [username],
    );
    const row = rows[0];
    const hash = row?.password_hash ?? (await this.unknownUserHash());
    const matches = await argon2.verify(hash, password);
    if (!row || !matches || row.disabled) return null;
    const { password_hash: _hash, ...user } = row;
    return user;
  }

  /** True when `password` is the user's current one. */
  async passwordMatches(id: number, password: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ password_hash: string }>('SELECT password_hash FROM app_user WHERE id = $1', [id]);
    return rows[0] ? argon2.verify(rows[0].password_hash, password) : false;
  }

  /** Sets a new password; `mustChange` when an admin set it for the user, `generated` when the hub made it up. */
  async setPassword(id: number, password: string, mustChange: boolean, generated = false): Promise<boolean> {
    const hash = await argon2.hash(password, HASH_OPTIONS);
    const { rowCount } = await this.pool.query(
      'UPDATE app_user SET password_hash = $2, must_change_password = $3, password_generated = $4, password_changed_at = now() WHERE id = $1',
      [id, hash, mustChange, generated],
    );
    return rowCount === 1;
  }

  /** The user of that name (compared without case), or null. */
  async byName(username: string): Promise<(UserRow & { password_generated: boolean }) | null> {
    const { rows } = await this.pool.query<UserRow & { password_generated: boolean }>(
      `SELECT ${COLUMNS}, password_generated FROM app_user WHERE lower(username) = lower($1)`,
      [username],
    );
    return rows[0] ?? null;
  }

  async update(id: number, change: { role?: Role; disabled?: boolean }): Promise<UserRow | null> {
    const { rows } = await this.pool.query<UserRow>(
      `UPDATE app_user SET role = coalesce($2, role), disabled = coalesce($3, disabled) WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, change.role ?? null, change.disabled ?? null],
    );
    return rows[0] ?? null;
  }

  async delete(id: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM app_user WHERE id = $1', [id]);
    return rowCount === 1;
  }

  /** Enabled admins other than `exceptId`: the last one may not be removed, disabled or demoted. */
  async otherActiveAdmins(exceptId: number): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM app_user WHERE role = 'admin' AND NOT disabled AND id <> $1`,
      [exceptId],
    );
    return rows[0]?.n ?? 0;
  }

  /** The user of a live session, or null when the session is revoked or expired or the user disabled or gone. */
  async sessionUser(userId: number, sessionId: number): Promise<SessionUser | null> {
    const { rows } = await this.pool.query<SessionUser>({
      name: 'session-user',
      text: `SELECT u.id, u.username, u.role, u.must_change_password
             FROM auth_session s JOIN app_user u ON u.id = s.user_id
             WHERE s.id = $2 AND u.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled`,
      values: [userId, sessionId],
    });
    return rows[0] ?? null;
  }

  private unknownUserHash(): Promise<string> {
    this.dummyHash ??= argon2.hash('tidewatch: no such user', HASH_OPTIONS);
    return this.dummyHash;
  }
}
