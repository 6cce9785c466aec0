import { SetMetadata } from '@nestjs/common';
import type { AuditAction } from '@tidewatch/contracts';

export const AUDIT_ACTION = 'tidewatch:audit-action';

/**
 * Marks a route whose every call goes into the audit log under `action` (e.g. `user.create`),
 * with its outcome, the caller, their address, the route's parameters as the target and its
 * body (secrets masked) as the detail.
 */
export const Audited = (action: AuditAction): MethodDecorator => SetMetadata(AUDIT_ACTION, action);

const SECRET_KEY = /pass|secret|token/i;
const MAX_DETAIL_CHARS = 2000;

/** A request body as the audit log keeps it: secrets masked, long text cut, bounded in size. */
export function auditDetail(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    out[k] = SECRET_KEY.test(k) ? '***' : typeof v === 'string' && v.length > 500 ? `${v.slice(0, 500)}…` : v;
  }
  const text = JSON.stringify(out);
  return text.length <= MAX_DETAIL_CHARS ? out : { truncated: text.slice(0, MAX_DETAIL_CHARS) };
}

/** The target of a call: its path parameters, as `id=5` or `id=aq-01 site=aq-02`. */
export function auditTarget(params: Record<string, string> | undefined): string | null {
  const parts = Object.entries(params ?? {}).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(' ').slice(0, 300) : null;
}
