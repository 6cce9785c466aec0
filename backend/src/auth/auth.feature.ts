import type { Config } from '../config/config.js';
import type { Feature } from '../common/feature.js';
import type { DatabasePool } from '../database/pool.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { settleFirstAdmin, type FirstAdmin } from './first-admin.js';
import { SessionsRepository } from './sessions.repository.js';
import { resolveJwtSecret, TokenService } from './token.service.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

export interface AuthFeature extends Feature {
  readonly auth: AuthService;
  /** The secret access tokens are signed with (from JWT_SECRET, else kept in DATA_DIR). */
  readonly jwtSecret: string;
  /** What this start did about the first admin (its generated password when it created it). */
  firstAdmin(): FirstAdmin | null;
}

/** Users, sessions and tokens; creates the first admin on an empty database (see first-admin.ts). */
export async function authFeature(pool: DatabasePool, config: Config): Promise<AuthFeature> {
  const users = new UsersRepository(pool);
  const jwtSecret = await resolveJwtSecret(config.JWT_SECRET, config.DATA_DIR);
  const sessions = new SessionsRepository(pool);
  const auth = new AuthService(users, sessions, new TokenService(jwtSecret, config.JWT_TTL_S), config.SESSION_TTL_S);
  let firstAdmin: FirstAdmin | null = null;
  return {
    name: 'auth',
    auth,
    jwtSecret,
    firstAdmin: () => firstAdmin,
    controllers: [AuthController, UsersController],
    providers: [
      { provide: AuthService, useValue: auth },
      { provide: UsersService, useValue: new UsersService(users, auth) },
    ],
    async start() {
      firstAdmin = await settleFirstAdmin(users, sessions, config.ADMIN_PASSWORD);
    },
  };
}
