import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireRole } from '../auth/roles.js';
import { queryInt } from '../common/http-schemas.js';
import { DeadLettersRepository, type DeadLetter } from './dead-letters.repository.js';

const query = z
  .object({
    limit: queryInt(1, 1000, 100),
    reason: z.string().max(40).optional(),
  })
  .strict();

@ApiTags('ingest')
@ApiBearerAuth()
@Controller('api/dead-letters')
@RequireRole('admin')
export class DeadLettersController {
  constructor(@Inject(DeadLettersRepository) private readonly deadLetters: DeadLettersRepository) {}

  @Get()
  async list(@Query({ schema: query }) q: z.infer<typeof query>): Promise<DeadLetter[]> {
    return this.deadLetters.newest(q.limit, q.reason ?? null);
  }
}
