import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Feature } from '../common/feature.js';
import type { DatabasePool } from '../database/pool.js';
import type { Logger } from '../logging/logger.js';
import { AuditController } from './audit.controller.js';
import { AuditInterceptor } from './audit.interceptor.js';
import { AuditLog } from './audit-log.js';
import { AuditRepository } from './audit.repository.js';

/** The append-only audit log: every @Audited action is recorded by the interceptor. */
export function auditFeature(pool: DatabasePool, log: Logger): Feature {
  const repository = new AuditRepository(pool);
  return {
    name: 'audit',
    controllers: [AuditController],
    providers: [
      { provide: AuditRepository, useValue: repository },
      { provide: AuditLog, useValue: new AuditLog(repository, log) },
      { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
    ],
  };
}
