import { randomBytes } from 'node:crypto';
import type { SessionsRepository } from './sessions.repository.js';
import { UsernameTakenError, type UsersRepository } from './users.repository.js';

export const FIRST_ADMIN = 'admin';

/** What start-up did about the first admin, for the start-up banner. */
export type FirstAdmin =
  /** Created now with a generated password, shown once. */
  | { kind: 'created'; password: string }
  /** Created now with ADMIN_PASSWORD. */
  | { kind: 'created-chosen' }
  /** ADMIN_PASSWORD replaced the generated password the admin still had. */
  | { kind: 'applied' }
  /** The admin still has a generated password, shown at an earlier start or by the admin CLI. */
  | { kind: 'generated' }
  | { kind: 'settled' };

/** A password the hub makes up; whoever receives it must replace it at first sign-in. */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * The first admin on an empty database: with ADMIN_PASSWORD, else a generated password to
 * be replaced at first sign-in. While the admin still has a generated password (never
 * replaced by a person), ADMIN_PASSWORD is applied: a start that failed before the banner
 * printed the generated one is recovered by setting it.
 */
export async function settleFirstAdmin(users: UsersRepository, sessions: SessionsRepository, adminPassword: string | undefined): Promise<FirstAdmin> {
  if ((await users.count()) === 0) {
    const password = adminPassword ?? generatePassword();
    try {
      await users.create(FIRST_ADMIN, password, 'admin', !adminPassword, !adminPassword);
      return adminPassword ? { kind: 'created-chosen' } : { kind: 'created', password };
    } catch (err) {
      // Hubs of a cluster starting together on an empty database: another one created it.
      if (!(err instanceof UsernameTakenError)) throw err;
    }
  }
  const admin = await users.byName(FIRST_ADMIN);
  if (!admin?.password_generated) return { kind: 'settled' };
  if (!adminPassword) return { kind: 'generated' };
  await users.setPassword(admin.id, adminPassword, false);
  await sessions.revokeAll(admin.id);
  return { kind: 'applied' };
}

/**
 * Gives `username` a new generated password that must be replaced at next sign-in, and ends
 * their sessions (the `npm run admin -- reset-password` command). Null when there is no such user.
 */
export async function resetToGeneratedPassword(users: UsersRepository, sessions: SessionsRepository, username: string): Promise<string | null> {
  const user = await users.byName(username);
  if (!user) return null;
  const password = generatePassword();
  await users.setPassword(user.id, password, true, true);
  await sessions.revokeAll(user.id);
  return password;
}
