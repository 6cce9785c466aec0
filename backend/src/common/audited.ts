import { SetMetadata } from '@nestjs/common';
import type { AuditAction } from '@tidewatch/contracts';

export const AUDIT_ACTION = 'tidewatch:audit-action';

/**
 * Marks a route whose every call goes into the audit log under `action` (e.g. `user.create`),
 * with its outcome, the caller, their address, the route's parameters as the target and its
 * body (secrets masked) as the detail.
 */
export const Audited = (action: AuditAction): MethodDecorator => SetMetadata(AUDIT_ACTION, action);
