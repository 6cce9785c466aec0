import type { Role, UserRecord } from '@tidewatch/contracts';

/** A user as GET /api/users lists them. */
export type UserRow = UserRecord;

export const ROLE_OPTIONS: { value: Role; label: string }[] = [
  { value: 'viewer', label: 'admin.viewer' },
  { value: 'operator', label: 'admin.operator' },
  { value: 'admin', label: 'admin.adminRole' },
];
