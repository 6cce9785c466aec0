/** Roles, sign-in answers, users and the audit log, as the API gives them to the dashboard. */

/** Each role can do what the roles before it can. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What sign-in and renewal answer. */
export interface SessionTokens {
  token: string;
  refresh_token: string;
  expires_in: number;
  role: Role;
  must_change_password: boolean;
}

/** A user as `GET /api/users` lists them (times ISO-8601 UTC). */
export interface UserRecord {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
  must_change_password: boolean;
  created_at: string;
  password_changed_at: string;
}

/** Everything the audit log records; a prefix (`user.`) filters a family. */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.logout',
  'auth.password_change',
  'user.create',
  'user.update',
  'user.reset_password',
  'user.delete',
  'site.create',
  'site.update',
  'site.retire',
  'credential.issue',
  'credential.revoke',
  'rule.create',
  'rule.update',
  'rule.override',
  'rule.remove_override',
  'alert.acknowledge',
  'alert.resolve',
  'alert.assign',
  'alert.comment',
  'alert.bulk',
  'report.regenerate',
  'review.mark',
  'review.withdraw',
  'roster.create',
  'roster.update',
  'roster.delete',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_OUTCOMES = ['ok', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One entry of `GET /api/audit`. */
export interface AuditRecord {
  id: number;
  at: string;
  actor: string | null;
  ip: string | null;
  action: AuditAction;
  target: string | null;
  outcome: AuditOutcome;
  detail: Record<string, unknown>;
}
