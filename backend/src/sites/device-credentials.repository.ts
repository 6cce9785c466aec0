import type pg from 'pg';

/** Stored device passwords (argon2id hashes), one per site. */
export class DeviceCredentialsRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Stores (or replaces) an active site's hash; false when there is no such active site. */
  async store(siteId: string, passwordHash: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO device_credential (site_key, password_hash)
       SELECT key, $2 FROM site WHERE id = $1 AND retired_at IS NULL
       ON CONFLICT (site_key) DO UPDATE SET password_hash = excluded.password_hash, created_at = now()`,
      [siteId, passwordHash],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Deletes a site's credential; false when there is no such site. */
  async remove(siteId: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ found: boolean }>(
      `WITH s AS (SELECT key FROM site WHERE id = $1),
            d AS (DELETE FROM device_credential c USING s WHERE c.site_key = s.key)
       SELECT EXISTS (SELECT 1 FROM s) AS found`,
      [siteId],
    );
    return rows[0]?.found ?? false;
  }

  /** An active site's stored hash: undefined when there is no such active site, null when it has none. */
  async hashOf(siteId: string): Promise<string | null | undefined> {
    const { rows } = await this.pool.query<{ password_hash: string | null }>(
      `SELECT c.password_hash FROM site s LEFT JOIN device_credential c ON c.site_key = s.key
       WHERE s.id = $1 AND s.retired_at IS NULL`,
      [siteId],
    );
    return rows.length === 0 ? undefined : rows[0]!.password_hash;
  }
}
