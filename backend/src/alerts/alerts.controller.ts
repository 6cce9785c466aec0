import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { RequireRole } from '../auth/roles.js';
import { Audited } from '../common/audited.js';
import { decimalId as idParam } from '../common/http-schemas.js';
import type { AlertPage, BulkOutcome, Handover } from '@tidewatch/contracts';
import { AlertActions } from './alert-actions.js';
import { alertListQuery, assignBody, bulkBody, handoverQuery, noteBody, requiredNote, resolveBody } from './alert.schemas.js';
import type { AlertHistoryEntry, AlertRecord } from './alerts.repository.js';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/alerts')
export class AlertsController {
  constructor(@Inject(AlertActions) private readonly actions: AlertActions) {}

  @Get()
  list(@Query({ schema: alertListQuery }) q: z.infer<typeof alertListQuery>): Promise<AlertRecord[]> {
    return this.actions.list(q);
  }

  /** The alert log: the same filters, one page with the total matched. */
  @Get('log')
  log(@Query({ schema: alertListQuery }) q: z.infer<typeof alertListQuery>): Promise<AlertPage> {
    return this.actions.page(q);
  }

  @Get('handover')
  handover(@Query({ schema: handoverQuery }) q: z.infer<typeof handoverQuery>): Promise<Handover> {
    return this.actions.handover(q.from, q.to);
  }

  @Post('bulk')
  @Audited('alert.bulk')
  @HttpCode(200)
  @RequireRole('operator')
  async bulk(@Body({ schema: bulkBody }) b: z.infer<typeof bulkBody>, @Req() req: AuthedRequest): Promise<{ action: string; done: number; results: BulkOutcome[] }> {
    const results = await this.actions.bulk(b.ids, b.action, req.user!.username, b.note);
    return { action: b.action, done: results.filter((r) => r.outcome === 'done').length, results };
  }

  @Get(':id')
  get(@Param('id', { schema: idParam }) id: number): Promise<AlertRecord & { history: AlertHistoryEntry[] }> {
    return this.actions.withHistory(id);
  }

  @Post(':id/ack')
  @Audited('alert.acknowledge')
  @HttpCode(200)
  @RequireRole('operator')
  ack(@Param('id', { schema: idParam }) id: number, @Body({ schema: noteBody }) b: z.infer<typeof noteBody>, @Req() req: AuthedRequest): Promise<AlertRecord> {
    return this.actions.acknowledge(id, req.user!.username, b.note);
  }

  @Post(':id/resolve')
  @Audited('alert.resolve')
  @HttpCode(200)
  @RequireRole('operator')
  resolve(@Param('id', { schema: idParam }) id: number, @Body({ schema: resolveBody }) b: z.infer<typeof resolveBody>, @Req() req: AuthedRequest): Promise<AlertRecord> {
    return this.actions.resolve(id, req.user!.username, b.note, b.confirm_active);
  }

  @Post(':id/assign')
  @Audited('alert.assign')
  @HttpCode(200)
  @RequireRole('operator')
  assign(@Param('id', { schema: idParam }) id: number, @Body({ schema: assignBody }) b: z.infer<typeof assignBody>, @Req() req: AuthedRequest): Promise<AlertRecord> {
    return this.actions.assign(id, req.user!.username, b.username, b.note);
  }

  @Post(':id/comments')
  @Audited('alert.comment')
  @HttpCode(200)
  @RequireRole('operator')
  comment(@Param('id', { schema: idParam }) id: number, @Body({ schema: requiredNote }) b: z.infer<typeof requiredNote>, @Req() req: AuthedRequest): Promise<AlertRecord> {
    return this.actions.comment(id, req.user!.username, b.note);
  }
}
