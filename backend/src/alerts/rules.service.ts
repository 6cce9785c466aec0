import { InvalidRequestError, NotFoundError } from '../common/domain-errors.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import type { AlertEngine } from './alert-engine.js';
import type { Rule, RuleDefinition, RuleInput } from './rule-model.js';
import type { RuleOverride, RulesRepository } from './rules.repository.js';

export type RuleChange = { name_zh?: string; name_en?: string; definition?: RuleDefinition; enabled?: boolean };

/** Alert rules and their per-site overrides; every change is taken up by the engine at once. */
export class RulesService {
  constructor(
    private readonly rules: RulesRepository,
    private readonly engine: AlertEngine,
    private readonly registry: SiteRegistry,
  ) {}

  async list(): Promise<{ rules: Rule[]; overrides: Omit<RuleOverride, 'site_key'>[] }> {
    return { rules: await this.rules.list(), overrides: (await this.rules.overrides()).map(({ site_key: _k, ...o }) => o) };
  }

  async create(rule: RuleInput): Promise<Rule> {
    await this.rules.create(rule);
    return this.reloadAndGet(rule.id);
  }

  async update(id: string, change: RuleChange): Promise<Rule> {
    if (!(await this.rules.update(id, change))) throw new NotFoundError(`no rule ${id}`);
    return this.reloadAndGet(id);
  }

  /** A site's own version of a rule (or the rule switched off there); the rule must be for the site's kind. */
  async override(id: string, siteId: string, definition: RuleDefinition | null, enabled: boolean): Promise<{ rule_id: string; site: string; enabled: boolean }> {
    const rule = await this.rules.get(id);
    if (!rule) throw new NotFoundError(`no rule ${id}`);
    const site = this.registry.lookup(siteId);
    if (!site) throw new NotFoundError(`no site ${siteId}`);
    if (site.kind !== rule.kind) throw new InvalidRequestError(`rule ${id} is for ${rule.kind} sites, ${siteId} is ${site.kind}`);
    await this.rules.setOverride(id, site.key, definition, enabled);
    await this.engine.rulesChanged();
    return { rule_id: id, site: siteId, enabled };
  }

  async removeOverride(id: string, siteId: string): Promise<void> {
    const site = this.registry.lookup(siteId);
    if (!site || !(await this.rules.deleteOverride(id, site.key))) throw new NotFoundError(`no override of ${id} for ${siteId}`);
    await this.engine.rulesChanged();
  }

  private async reloadAndGet(id: string): Promise<Rule> {
    await this.engine.rulesChanged();
    return (await this.rules.get(id))!;
  }
}
