import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';

export interface NewSession {
  sessionId: number;
  refreshToken: string;
}

export type Refreshed = { sessionId: number; userId: number; refreshToken: string } | { replayed: true } | null;

const hash = (token: string): string => createHash('sha256').update(token).digest('base64url');
const newToken = (): string => randomBytes(32).toString('base64url');

/** Sign-in sessions: the refresh token is stored only as a hash and replaced at every use. */
export class SessionsRepository {
  constructor(private readonly pool: pg.Pool) {}

  async create(userId: number, lifetimeS: number, ip: string | null, userAgent: string | null): Promise<NewSession> {
    const refreshToken = newToken();
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO auth_session (user_id, refresh_hash, expires_at, ip, user_agent)
       VALUES ($1, $2, now() + make_interval(secs => $3), $4, $5) RETURNING id`,
      [userId, hash(refreshToken), lifetimeS, ip, userAgent?.slice(0, 300) ?? null],
    );
    return { sessionId: Number(rows[0]!.id), refreshToken };
  }

  /**
   * Exchanges a refresh token for a new one and extends the session (an idle session
   * expires after `lifetimeS`). The token before the current one being shown
   * again means it was copied: that session is revoked and `{ replayed: true }` returned.
   */
  async rotate(refreshToken: string, lifetimeS: number): Promise<Refreshed> {
    const old = hash(refreshToken);
    const next = newToken();
    const { rows } = await this.pool.query<{ id: string; user_id: number }>(
      `UPDATE auth_session s SET previous_hash = s.refresh_hash, refresh_hash = $2, last_used_at = now(),
         expires_at = now() + make_interval(secs => $3)
       FROM app_user u
       WHERE s.refresh_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.id = s.user_id AND NOT u.disabled
       RETURNING s.id, s.user_id`,
      [old, hash(next), lifetimeS],
    );
    if (rows[0]) return { sessionId: Number(rows[0].id), userId: rows[0].user_id, refreshToken: next };
    const replay = await this.pool.query(
      `UPDATE auth_session SET revoked_at = now() WHERE previous_hash = $1 AND revoked_at IS NULL RETURNING id`,
      [old],
    );
    return replay.rowCount ? { replayed: true } : null;
  }

  /** Revokes one session; the user id guards against revoking another user's session. */
  async revoke(sessionId: number, userId: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE auth_session SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL',
      [sessionId, userId],
    );
    return rowCount === 1;
  }

  /** Revokes every live session of a user but `keepSessionId`; returns how many. */
  async revokeAll(userId: number, keepSessionId: number | null = null): Promise<number> {
    const { rowCount } = await this.pool.query(
      'UPDATE auth_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $2',
      [userId, keepSessionId],
    );
    return rowCount ?? 0;
  }
}
