import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import type { DeviceCredentialsRepository } from './device-credentials.repository.js';

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

  constructor(private readonly stored: DeviceCredentialsRepository) {}

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
    if (!(await this.stored.store(siteId, hash))) return null;
    this.changed(siteId);
    return { username: siteId, password };
  }

  /** Revokes a site's credential (stored and simulated); false when there is no such site. */
  async revoke(siteId: string): Promise<boolean> {
    const found = await this.stored.remove(siteId);
    this.changed(siteId);
    return found;
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
    const hash = await this.stored.hashOf(siteId);
    if (hash === undefined) return false;
    const digest = sha256(password);
    const simulated = this.simulated.get(siteId);
    if (simulated && timingSafeEqual(simulated, digest)) return true;
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
