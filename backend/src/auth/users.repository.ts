import argon2 from 'argon2';
import type pg from 'pg';
import type { Role } from './roles.js';

export interface UserRow {
  id: number;
  username: string;
  role: Role;
  created_at: Date;
}

export class UsernameTakenError extends Error {}

/** Users of the dashboard and API; passwords kept as argon2id hashes. */
export class UsersRepository {
  constructor(private readonly pool: pg.Pool) {}

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM app_user');
    return rows[0]?.n ?? 0;
  }

  async create(username: string, password: string, role: Role): Promise<UserRow> {
    const hash = await argon2.hash(password, { type: argon2.argon2id });
    try {
      const { rows } = await this.pool.query<UserRow>(
        `INSERT INTO app_user (username, password_hash, role) VALUES ($1, $2, $3)
         RETURNING id, username, role, created_at`,
        [username, hash, role],
      );
      return rows[0]!;
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new UsernameTakenError(`user ${username} exists`);
      throw err;
    }
  }

  async list(): Promise<UserRow[]> {
    const { rows } = await this.pool.query<UserRow>('SELECT id, username, role, created_at FROM app_user ORDER BY id');
    return rows;
  }

  /** The user when the password matches, else null. */
  async verify(username: string, password: string): Promise<UserRow | null> {
    const { rows } = await this.pool.query<UserRow & { password_hash: string }>(
      'SELECT id, username, role, created_at, password_hash FROM app_user WHERE username = $1',
      [username],
    );
    const row = rows[0];
    if (!row || !(await argon2.verify(row.password_hash, password))) return null;
    const { password_hash: _hash, ...user } = row;
    return user;
  }
}
