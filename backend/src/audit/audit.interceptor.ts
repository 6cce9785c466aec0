import { HttpException, Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, from, mergeMap, throwError, type Observable } from 'rxjs';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { DomainError } from '../common/domain-errors.js';
import { AuditLog } from './audit-log.js';
import { AUDIT_ACTION } from '../common/audited.js';
import { auditDetail, auditTarget } from './audit-detail.js';
import type { AuditOutcome } from './audit.repository.js';

function outcomeOf(err: unknown): { outcome: AuditOutcome; status: number } {
  const status = err instanceof DomainError ? err.status : err instanceof HttpException ? err.getStatus() : 500;
  return { outcome: status === 403 || status === 429 ? 'denied' : 'failed', status };
}

/** Writes one audit entry per call of an @Audited route, after it answered (success or not). */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action = this.reflector.get<string | undefined>(AUDIT_ACTION, ctx.getHandler());
    if (!action || ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const record = (outcome: AuditOutcome, extra: Record<string, unknown>): Promise<void> => {
      const bodyUser = (req.body as { username?: unknown } | undefined)?.username;
      return this.audit.record({
        actor: req.user?.username ?? (typeof bodyUser === 'string' ? bodyUser.slice(0, 64) : null),
        actorId: req.user?.id ?? null,
        ip: req.ip ?? null,
        action,
        target: auditTarget(req.params as Record<string, string>),
        outcome,
        detail: { ...auditDetail(req.body), ...extra },
      });
    };
    return next.handle().pipe(
      mergeMap((value) => from(record('ok', {}).then(() => value))),
      catchError((err: unknown) => {
        const { outcome, status } = outcomeOf(err);
        return from(record(outcome, { status, error: err instanceof Error ? err.message.slice(0, 300) : String(err) })).pipe(mergeMap(() => throwError(() => err)));
      }),
    );
  }
}
