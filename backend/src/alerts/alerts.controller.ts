import { Audited } from '../common/audited.js';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { SITE_KINDS } from '@tidewatch/contracts';
import { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { RequireRole } from '../auth/roles.js';
import { decimalId, queryInt, siteIdParam } from '../common/http-schemas.js';
import { AlertActions } from './alert-actions.js';
import { AlertStore, type AlertHistoryEntry, type AlertRecord } from './alerts.repository.js';
import { ruleDefinitionSchema, ruleSchema, SEVERITIES, type Rule } from './rule-model.js';
import { RulesService } from './rules.service.js';

const listQuery = z
  .object({
    state: z.enum(['active', 'acknowledged', 'resolved', 'open', 'cleared']).optional(),
    kind: z.enum(SITE_KINDS).optional(),
    site: siteIdParam.optional(),
    severity: z.enum(SEVERITIES).optional(),
    limit: queryInt(1, 1000, 200),
  })
  .strict();
const idParam = decimalId;
const noteBody = z.object({ note: z.string().trim().max(2000).default('') }).strict();
const requiredNote = z.object({ note: z.string().trim().min(1).max(2000) }).strict();
const assignBody = z.object({ username: z.string().min(1).max(64), note: z.string().trim().max(2000).default('') }).strict();
const rulePatch = z
  .object({ name_zh: z.string().min(1).max(100).optional(), name_en: z.string().min(1).max(200).optional(), definition: ruleDefinitionSchema.optional(), enabled: z.boolean().optional() })
  .strict();
const overrideBody = z.object({ definition: ruleDefinitionSchema.nullable().default(null), enabled: z.boolean().default(true) }).strict();
const ruleIdParam = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/);

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/alerts')
export class AlertsController {
  constructor(
    @Inject(AlertStore) private readonly store: AlertStore,
    @Inject(AlertActions) private readonly actions: AlertActions,
  ) {}

  @Get()
  list(@Query({ schema: listQuery }) q: z.infer<typeof listQuery>): Promise<AlertRecord[]> {
    return this.store.list(q);
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
  resolve(@Param('id', { schema: idParam }) id: number, @Body({ schema: noteBody }) b: z.infer<typeof noteBody>, @Req() req: AuthedRequest): Promise<AlertRecord> {
    return this.actions.resolve(id, req.user!.username, b.note);
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

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/rules')
export class RulesController {
  constructor(@Inject(RulesService) private readonly rules: RulesService) {}

  @Get()
  list(): ReturnType<RulesService['list']> {
    return this.rules.list();
  }

  @Post()
  @Audited('rule.create')
  @RequireRole('admin')
  create(@Body({ schema: ruleSchema }) body: z.infer<typeof ruleSchema>): Promise<Rule> {
    return this.rules.create(body);
  }

  @Put(':id')
  @Audited('rule.update')
  @RequireRole('admin')
  update(@Param('id', { schema: ruleIdParam }) id: string, @Body({ schema: rulePatch }) body: z.infer<typeof rulePatch>): Promise<Rule> {
    return this.rules.update(id, body);
  }

  @Put(':id/sites/:site')
  @Audited('rule.override')
  @RequireRole('admin')
  override(
    @Param('id', { schema: ruleIdParam }) id: string,
    @Param('site', { schema: siteIdParam }) siteId: string,
    @Body({ schema: overrideBody }) body: z.infer<typeof overrideBody>,
  ): Promise<{ rule_id: string; site: string; enabled: boolean }> {
    return this.rules.override(id, siteId, body.definition, body.enabled);
  }

  @Delete(':id/sites/:site')
  @Audited('rule.remove_override')
  @RequireRole('admin')
  @HttpCode(204)
  removeOverride(@Param('id', { schema: ruleIdParam }) id: string, @Param('site', { schema: siteIdParam }) siteId: string): Promise<void> {
    return this.rules.removeOverride(id, siteId);
  }
}
