import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JwtService } from '@nestjs/jwt';
import type { Role } from './roles.js';

/** What an access token says: whose it is and which sign-in session it belongs to. */
export interface AccessClaims {
  userId: number;
  sessionId: number;
  /** Seconds since the epoch when the token expires. */
  exp: number;
}

/**
 * Signs and checks the short-lived access tokens (JWT, HS256) of the API and the /live
 * socket. A valid signature is not enough: the session it names must still be live
 * (AuthService checks that against the database at every request).
 */
export class TokenService {
  private readonly jwt: JwtService;

  constructor(secret: string, private readonly ttlSeconds: number) {
    this.jwt = new JwtService({ secret, signOptions: { expiresIn: ttlSeconds, algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } });
  }

  /** `username` and `role` are for the dashboard's display only; the hub reads them from the database. */
  sign(user: { id: number; username: string; role: Role }, sessionId: number): string {
    return this.jwt.sign({ sub: String(user.id), sid: String(sessionId), username: user.username, role: user.role });
  }

  /** The claims of a token, or null when it is missing, forged, malformed or expired. */
  verify(token: string | undefined): AccessClaims | null {
    if (!token || token.length > 4096) return null;
    try {
      const p = this.jwt.verify<{ sub?: unknown; sid?: unknown; exp?: unknown }>(token);
      const userId = decimal(p.sub);
      const sessionId = decimal(p.sid);
      if (userId === null || sessionId === null || typeof p.exp !== 'number') return null;
      return { userId, sessionId, exp: p.exp };
    } catch {
      return null;
    }
  }

  get ttl(): number {
    return this.ttlSeconds;
  }
}

function decimal(v: unknown): number | null {
  return typeof v === 'string' && /^[1-9][0-9]{0,14}$/.test(v) ? Number(v) : null;
}

/** JWT_SECRET, or one generated once and kept under the data folder. */
export async function resolveJwtSecret(configured: string | undefined, dataDir: string): Promise<string> {
  if (configured) return configured;
  const file = path.resolve(dataDir, 'jwt-secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(path.dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  await writeFile(file, secret + '\n', { mode: 0o600 });
  return secret;
}
