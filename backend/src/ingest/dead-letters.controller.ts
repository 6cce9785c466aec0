import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type pg from 'pg';
import { z } from 'zod';
import { RequireRole } from '../auth/roles.js';
import { PG_POOL } from '../database/database.tokens.js';
import { queryInt } from '../common/http-schemas.js';
import { isoUtc } from '../common/sql.js';

const query = z
  .object({
    limit: queryInt(1, 1000, 100),
    reason: z.string().max(40).optional(),
  })
  .strict();

interface DeadLetter {
  received_at: string;
  topic: string;
  reason: string;
  detail: string | null;
  payload: string;
  payload_bytes: number;
}

@ApiTags('ingest')
@ApiBearerAuth()
@Controller('api/dead-letters')
@RequireRole('admin')
export class DeadLettersController {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  @Get()
  async list(@Query({ schema: query }) q: z.infer<typeof query>): Promise<DeadLetter[]> {
    const { rows } = await this.pool.query<DeadLetter>(
      `SELECT ${isoUtc('received_at')} AS received_at,
              topic, reason, detail, payload, payload_bytes
       FROM dead_letter WHERE ($2::text IS NULL OR reason = $2)
       ORDER BY received_at DESC, id DESC LIMIT $1`,
      [q.limit, q.reason ?? null],
    );
    return rows;
  }
}
