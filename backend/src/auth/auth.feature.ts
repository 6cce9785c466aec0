import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config.js';
import type { Feature } from '../common/feature.js';
import type { DatabasePool } from '../database/pool.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { SessionsRepository } from './sessions.repository.js';
import { resolveJwtSecret, TokenService } from './token.service.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

export interface AuthFeature extends Feature {
  readonly auth: AuthService;
  /** The secret access tokens are signed with (from JWT_SECRET, else kept in DATA_DIR). */
  readonly jwtSecret: string;
  /** Set when this start created the first admin with a generated password (shown once). */
  generatedAdminPassword(): string | null;
}

/** Users, sessions and tokens; creates the first admin on an empty database. */
export async function authFeature(pool: DatabasePool, config: Config): Promise<AuthFeature> {
  const users = new UsersRepository(pool);
  const jwtSecret = await resolveJwtSecret(config.JWT_SECRET, config.DATA_DIR);
  const auth = new AuthService(users, new SessionsRepository(pool), new TokenService(jwtSecret, config.JWT_TTL_S), config.SESSION_TTL_S);
  let generated: string | null = null;
  return {
    name: 'auth',
    auth,
    jwtSecret,
    generatedAdminPassword: () => generated,
    controllers: [AuthController, UsersController],
    providers: [
      { provide: AuthService, useValue: auth },
      { provide: UsersService, useValue: new UsersService(users, auth) },
    ],
    async start() {
      if ((await users.count()) > 0) return;
      const password = config.ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
      // A generated password was printed to a terminal or log: it must be replaced at first sign-in.
      await users.create('admin', password, 'admin', !config.ADMIN_PASSWORD);
      if (!config.ADMIN_PASSWORD) generated = password;
    },
  };
}
