import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

import { ROLES, type Role } from '@tidewatch/contracts';

export { ROLES, type Role };

/** Each role can do what the roles before it can. */
export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/** The user of a request or socket, as the database has them now. */
export interface AuthUser {
  id: number;
  username: string;
  role: Role;
  sessionId: number;
  mustChangePassword: boolean;
  /** When the access token that authenticated this request expires (epoch seconds). */
  tokenExp: number;
}

export const IS_PUBLIC = 'tidewatch:public';
export const MIN_ROLE = 'tidewatch:min-role';

/** No login needed (health, metrics, login itself, the dashboard's files). */
export const Public = (): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension('x-public', true));
/** Routes a user who must first change the password may still call (read who they are, change it, log out). */
export const ALLOW_PENDING_PASSWORD = 'tidewatch:allow-pending-password';
export const AllowPendingPassword = (): MethodDecorator => SetMetadata(ALLOW_PENDING_PASSWORD, true);

/** The least role that may call the route; `viewer` when absent. */
export const RequireRole = (role: Role): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(MIN_ROLE, role), ApiExtension('x-min-role', role));
