import type { Role } from '../auth/roles.js';

/** Site parameters that let a device speak for the site: a monitor's HJ 212 MN and its access password. */
export const ADMIN_ONLY_PARAMS: readonly string[] = ['hj212_mn', 'hj212_pw'];

/** The parameters a user of `role` may see: all of them for an admin, none of ADMIN_ONLY_PARAMS for anyone else. */
export function publicParams(params: Record<string, unknown>, role: Role | undefined): Record<string, unknown> {
  if (role === 'admin' || !ADMIN_ONLY_PARAMS.some((k) => Object.hasOwn(params, k))) return params;
  return Object.fromEntries(Object.entries(params).filter(([k]) => !ADMIN_ONLY_PARAMS.includes(k)));
}
