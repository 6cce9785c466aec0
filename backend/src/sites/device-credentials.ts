import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type pg from 'pg';

/** Device credentials for the embedded broker: the username is the site id. */
export class DeviceCredentials {
  constructor(private readonly pool: pg.Pool) {}

  /** Issues (or replaces) a site's password; the clear text is returned once, never stored. */
  async issue(siteId: string): Promise<{ username: string; password: string } | null> {
    const password = randomBytes(18).toString('base64url');
    const hash = await argon2.hash(password, { type: argon2.argon2id });
    const { rowCount } = await this.pool.query(
      `INSERT INTO device_credential (site_key, password_hash)
       SELECT key, $2 FROM site WHERE id = $1 AND retired_at IS NULL
       ON CONFLICT (site_key) DO UPDATE SET password_hash = excluded.password_hash, created_at = now()`,
      [siteId, hash],
    );
    return rowCount ? { username: siteId, password } : null;
  }

  async verify(siteId: string, password: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ password_hash: string }>(
      `SELECT c.password_hash FROM device_credential c JOIN site s ON s.key = c.site_key
       WHERE s.id = $1 AND s.retired_at IS NULL`,
      [siteId],
    );
    const hash = rows[0]?.password_hash;
    return hash ? argon2.verify(hash, password) : false;
  }
}
