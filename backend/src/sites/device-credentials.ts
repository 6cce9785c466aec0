import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import type pg from 'pg';

/** How long a successful check of a stored password is remembered (argon2 is slow on purpose). */
const VERIFY_CACHE_MS = 60_000;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export function newDevicePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Device credentials for the embedded broker; the username is the site id. Passwords are
 * stored as argon2id hashes, issued again to rotate them and deleted to revoke them;
 * every such change is announced so the broker closes the site's connections at once.
 * The in-process simulators get random passwords kept in memory only (as SHA-256: they are
 * 144 random bits, nothing to stretch).
 */
export class DeviceCredentials {
  private readonly simulated = new Map<string, Buffer>();
  private readonly verified = new Map<string, { hash: string; digest: Buffer; until: number }>();
  private readonly changes = new Map<string, number>();
  private readonly listeners: ((siteId: string) => void)[] = [];

  constructor(private readonly pool: pg.Pool) {}

  /** `listener` hears of every rotation or revocation of a site's credential. */
  onChange(listener: (siteId: string) => void): void {
    this.listeners.push(listener);
  }

  /** Counts a site's credential changes, so a check that raced one can be told apart. */
  generation(siteId: string): number {
    return this.changes.get(siteId) ?? 0;
  }

  /** Issues (or replaces) a site's password; the clear text is returned once, never stored. */
  async issue(siteId: string): Promise<{ username: string; password: string } | null> {
    const password = newDevicePassword();
    const hash = await argon2.hash(password, { type: argon2.argon2id });
    const { rowCount } = await this.pool.query(
      `INSERT INTO device_credential (site_key, password_hash)
       SELECT key, $2 FROM site WHERE id = $1 AND retired_at IS NULL
       ON CONFLICT (site_key) DO UPDATE SET password_hash = excluded.password_hash, created_at = now()`,
      [siteId, hash],
    );
    if (!rowCount) return null;
    this.changed(siteId);
    return { username: siteId, password };
  }

  /** Revokes a site's credential (stored and simulated); false when there is no such site. */
  async revoke(siteId: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ found: boolean }>(
      `WITH s AS (SELECT key FROM site WHERE id = $1),
            d AS (DELETE FROM device_credential c USING s WHERE c.site_key = s.key)
       SELECT EXISTS (SELECT 1 FROM s) AS found`,
      [siteId],
    );
    this.changed(siteId);
    return rows[0]?.found ?? false;
  }

  /** In-memory passwords for the in-process simulators of these sites (lost at exit). */
  issueSimulated(siteIds: readonly string[]): Record<string, string> {
    const passwords: Record<string, string> = {};
    for (const id of siteIds) {
      const password = newDevicePassword();
      this.simulated.set(id, sha256(password));
      passwords[id] = password;
    }
    return passwords;
  }

  async verify(siteId: string, password: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ password_hash: string | null }>(
      `SELECT c.password_hash FROM site s LEFT JOIN device_credential c ON c.site_key = s.key
       WHERE s.id = $1 AND s.retired_at IS NULL`,
      [siteId],
    );
    if (rows.length === 0) return false;
    const digest = sha256(password);
    const simulated = this.simulated.get(siteId);
    if (simulated && timingSafeEqual(simulated, digest)) return true;
    const hash = rows[0]!.password_hash;
    if (!hash) return false;
    if (this.remembered(siteId, hash, digest)) return true;
    const generation = this.generation(siteId);
    if (!(await argon2.verify(hash, password))) return false;
    if (this.generation(siteId) === generation) this.verified.set(siteId, { hash, digest, until: Date.now() + VERIFY_CACHE_MS });
    return true;
  }

  private remembered(siteId: string, hash: string, digest: Buffer): boolean {
    const entry = this.verified.get(siteId);
    return entry !== undefined && entry.hash === hash && entry.until > Date.now() && timingSafeEqual(entry.digest, digest);
  }

  private changed(siteId: string): void {
    this.simulated.delete(siteId);
    this.verified.delete(siteId);
    this.changes.set(siteId, this.generation(siteId) + 1);
    for (const listener of this.listeners) listener(siteId);
  }
}
