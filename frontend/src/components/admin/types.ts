import type { Role } from '../../stores/auth';

/** A user as GET /api/users lists them. */
export interface UserRow {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
  must_change_password: boolean;
  created_at: string;
  password_changed_at: string | null;
}

export const ROLE_OPTIONS: { value: Role; label: string }[] = [
  { value: 'viewer', label: 'admin.viewer' },
  { value: 'operator', label: 'admin.operator' },
  { value: 'admin', label: 'admin.adminRole' },
];
