import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { ROLES, type AuthUser, type Role } from './roles.js';

/** Signs and checks the JWTs used by the API and the /live socket. */
export class TokenService {
  private readonly jwt: JwtService;

  constructor(secret: string, private readonly ttlSeconds: number) {
    this.jwt = new JwtService({ secret, signOptions: { expiresIn: ttlSeconds, algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } });
  }

  sign(user: AuthUser): string {
    return this.jwt.sign({ sub: String(user.id), username: user.username, role: user.role });
  }

  /** The user a token names, or null when it is missing, forged or expired. */
  verify(token: string | undefined): AuthUser | null {
    if (!token) return null;
    try {
      const p = this.jwt.verify<{ sub: string; username: string; role: string }>(token);
      if (!(ROLES as readonly string[]).includes(p.role)) return null;
      return { id: Number(p.sub), username: p.username, role: p.role as Role };
    } catch {
      return null;
    }
  }

  get ttl(): number {
    return this.ttlSeconds;
  }
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
