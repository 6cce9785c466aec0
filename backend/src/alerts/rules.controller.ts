import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { RequireRole } from '../auth/roles.js';
import { Audited } from '../common/audited.js';
import { siteIdParam } from '../common/http-schemas.js';
import { overrideBody, ruleIdParam, rulePatch } from './alert.schemas.js';
import { ruleSchema, type Rule } from './rule-model.js';
import { RulesService } from './rules.service.js';

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
