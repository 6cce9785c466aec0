import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireRole } from '../auth/roles.js';
import { decimalId, queryEndTime, queryInt, queryTime } from '../common/http-schemas.js';
import { AuditRepository, type AuditRecord } from './audit.repository.js';

const auditQuery = z
  .object({
    actor: z.string().min(1).max(64).optional(),
    action: z.string().regex(/^[a-z_.]{1,64}$/, 'an action such as user.create, or a prefix such as user.').optional(),
    outcome: z.enum(['ok', 'denied', 'failed']).optional(),
    from: queryTime.optional(),
    to: queryEndTime.optional(),
    before: decimalId.optional(),
    limit: queryInt(1, 500, 100),
  })
  .strict();

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
@RequireRole('admin')
export class AuditController {
  constructor(@Inject(AuditRepository) private readonly repo: AuditRepository) {}

  @Get()
  @ApiOperation({ summary: 'The audit log, newest first; page with before=<last id>' })
  list(@Query({ schema: auditQuery }) q: z.infer<typeof auditQuery>): Promise<AuditRecord[]> {
    return this.repo.list(q);
  }
}
