import { SetMetadata } from '@nestjs/common';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Each role can do what the roles before it can. */
export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

export interface AuthUser {
  id: number;
  username: string;
  role: Role;
}

export const IS_PUBLIC = 'tidewatch:public';
export const MIN_ROLE = 'tidewatch:min-role';

/** No login needed (health, metrics, login itself, the dashboard's files). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
/** The least role that may call the route; `viewer` when absent. */
export const RequireRole = (role: Role): MethodDecorator & ClassDecorator => SetMetadata(MIN_ROLE, role);
