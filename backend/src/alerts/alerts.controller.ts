import { Audited } from '../audit/audited.js';
import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Put, Delete, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { SITE_KINDS } from '@tidewatch/contracts';
import { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { RequireRole } from '../auth/roles.js';
import { decimalId, queryInt, siteIdParam } from '../common/http-schemas.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { AlertEngine } from './alert-engine.js';
import { AlertConflictError, AlertStore, type AlertHistoryEntry, type AlertRecord } from './alerts.repository.js';
import { ruleDefinitionSchema, ruleSchema, SEVERITIES, type Rule } from './rule-model.js';
import { RuleExistsError, RulesRepository, type RuleOverride } from './rules.repository.js';

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
    @Inject(AlertEngine) private readonly engine: AlertEngine,
  ) {}

  @Get()
  list(@Query({ schema: listQuery }) q: z.infer<typeof listQuery>): Promise<AlertRecord[]> {
    return this.store.list(q);
  }

  @Get(':id')
  async get(@Param('id', { schema: idParam }) id: number): Promise<AlertRecord & { history: AlertHistoryEntry[] }> {
    const alert = await this.store.get(id);
    if (!alert) throw new NotFoundException(`no alert ${id}`);
    return { ...alert, history: await this.store.history(id) };
  }

  @Post(':id/ack')
  @Audited('alert.acknowledge')
  @HttpCode(200)
  @RequireRole('operator')
  ack(@Param('id', { schema: idParam }) id: number, @Body({ schema: noteBody }) b: z.infer<typeof noteBody>, @Req() req: AuthedRequest): Promise<AlertRecord> {
    return this.act('acknowledged', id, () => this.store.acknowledge(id, req.user!.username, b.note));
  }

  @Post(':id/resolve')
  @Audited('alert.resolve')
  @HttpCode(200)
  @RequireRole('operator')
  resolve(@Param('id', { schema: idParam }) id: number, @Body({ schema: noteBody }) b: z.infer<typeof noteBody>, @Req() req: AuthedRequest): Promise<AlertRecord> {
    return this.act('resolved', id, () => this.store.resolve(id, req.user!.username, b.note));
  }

  @Post(':id/assign')
  @Audited('alert.assign')
  @HttpCode(200)
  @RequireRole('operator')
  assign(@Param('id', { schema: idParam }) id: number, @Body({ schema: assignBody }) b: z.infer<typeof assignBody>, @Req() req: AuthedRequest): Promise<AlertRecord> {
    return this.act('assigned', id, () => this.store.assign(id, req.user!.username, b.username, b.note));
  }

  @Post(':id/comments')
  @Audited('alert.comment')
  @HttpCode(200)
  @RequireRole('operator')
  comment(@Param('id', { schema: idParam }) id: number, @Body({ schema: requiredNote }) b: z.infer<typeof requiredNote>, @Req() req: AuthedRequest): Promise<AlertRecord> {
    return this.act('comment', id, () => this.store.comment(id, req.user!.username, b.note));
  }

  private async act(event: string, id: number, fn: () => Promise<AlertRecord>): Promise<AlertRecord> {
    try {
      const alert = await fn();
      this.engine.changed(event, alert);
      return alert;
    } catch (err) {
      if (err instanceof AlertConflictError) {
        if (err.message === 'not found') throw new NotFoundException(`no alert ${id}`);
        if (err.message === 'no such user') throw new BadRequestException('no user with that username');
        throw new ConflictException(err.message);
      }
      throw err;
    }
  }
}

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/rules')
export class RulesController {
  constructor(
    @Inject(RulesRepository) private readonly rules: RulesRepository,
    @Inject(AlertEngine) private readonly engine: AlertEngine,
    @Inject(SiteRegistry) private readonly registry: SiteRegistry,
  ) {}

  @Get()
  async list(): Promise<{ rules: Rule[]; overrides: Omit<RuleOverride, 'site_key'>[] }> {
    return { rules: await this.rules.list(), overrides: (await this.rules.overrides()).map(({ site_key: _k, ...o }) => o) };
  }

  @Post()
  @Audited('rule.create')
  @RequireRole('admin')
  async create(@Body({ schema: ruleSchema }) body: z.infer<typeof ruleSchema>): Promise<Rule> {
    try {
      await this.rules.create(body);
    } catch (err) {
      if (err instanceof RuleExistsError) throw new ConflictException(err.message);
      throw err;
    }
    await this.engine.reloadRules();
    return (await this.rules.get(body.id))!;
  }

  @Put(':id')
  @Audited('rule.update')
  @RequireRole('admin')
  async update(@Param('id', { schema: ruleIdParam }) id: string, @Body({ schema: rulePatch }) body: z.infer<typeof rulePatch>): Promise<Rule> {
    if (!(await this.rules.update(id, body))) throw new NotFoundException(`no rule ${id}`);
    await this.engine.reloadRules();
    return (await this.rules.get(id))!;
  }

  @Put(':id/sites/:site')
  @Audited('rule.override')
  @RequireRole('admin')
  async override(
    @Param('id', { schema: ruleIdParam }) id: string,
    @Param('site', { schema: siteIdParam }) siteId: string,
    @Body({ schema: overrideBody }) body: z.infer<typeof overrideBody>,
  ): Promise<{ rule_id: string; site: string; enabled: boolean }> {
    const rule = await this.rules.get(id);
    const site = this.registry.lookup(siteId);
    if (!rule) throw new NotFoundException(`no rule ${id}`);
    if (!site) throw new NotFoundException(`no site ${siteId}`);
    if (site.kind !== rule.kind) throw new BadRequestException(`rule ${id} is for ${rule.kind} sites, ${siteId} is ${site.kind}`);
    await this.rules.setOverride(id, site.key, body.definition, body.enabled);
    await this.engine.reloadRules();
    return { rule_id: id, site: siteId, enabled: body.enabled };
  }

  @Delete(':id/sites/:site')
  @Audited('rule.remove_override')
  @RequireRole('admin')
  @HttpCode(204)
  async removeOverride(@Param('id', { schema: ruleIdParam }) id: string, @Param('site', { schema: siteIdParam }) siteId: string): Promise<void> {
    const site = this.registry.lookup(siteId);
    if (!site || !(await this.rules.deleteOverride(id, site.key))) throw new NotFoundException(`no override of ${id} for ${siteId}`);
    await this.engine.reloadRules();
  }
}
