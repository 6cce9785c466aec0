import type pg from 'pg';
import { ConflictError } from '../common/domain-errors.js';
import { DEFAULT_RULES } from './default-rules.js';
import type { Rule, RuleDefinition, RuleInput } from './rule-model.js';

export interface RuleOverride {
  rule_id: string;
  site: string;
  site_key: number;
  definition: RuleDefinition | null;
  enabled: boolean;
}

export class RuleExistsError extends ConflictError {}

/** Alert rules and per-site overrides. Built-in rules follow the code until an admin changes them. */
export class RulesRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Adds missing built-in rules and refreshes the ones no admin has customized. */
  async syncDefaults(): Promise<void> {
    await this.pool.query(
      `INSERT INTO alert_rule (id, kind, name_zh, name_en, definition, enabled, builtin)
       SELECT id, kind, name_zh, name_en, definition, true, true
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) AS t(id, kind, name_zh, name_en, definition)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name_zh = excluded.name_zh, name_en = excluded.name_en,
         definition = excluded.definition, updated_at = now()
       WHERE alert_rule.builtin AND NOT alert_rule.customized`,
      [
        DEFAULT_RULES.map((r) => r.id),
        DEFAULT_RULES.map((r) => r.kind),
        DEFAULT_RULES.map((r) => r.name_zh),
        DEFAULT_RULES.map((r) => r.name_en),
        DEFAULT_RULES.map((r) => JSON.stringify(r.definition)),
      ],
    );
  }

  async list(): Promise<Rule[]> {
    const { rows } = await this.pool.query<Rule>(`SELECT id, kind, name_zh, name_en, definition, enabled, builtin, customized FROM alert_rule ORDER BY kind, id`);
    return rows;
  }

  async get(id: string): Promise<Rule | null> {
    const { rows } = await this.pool.query<Rule>(`SELECT id, kind, name_zh, name_en, definition, enabled, builtin, customized FROM alert_rule WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async create(r: RuleInput): Promise<void> {
    try {
      await this.pool.query(`INSERT INTO alert_rule (id, kind, name_zh, name_en, definition, enabled) VALUES ($1, $2, $3, $4, $5, $6)`, [
        r.id,
        r.kind,
        r.name_zh,
        r.name_en,
        JSON.stringify(r.definition),
        r.enabled,
      ]);
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new RuleExistsError(`rule ${r.id} exists`);
      throw err;
    }
  }

  async update(id: string, patch: { name_zh?: string; name_en?: string; definition?: RuleDefinition; enabled?: boolean }): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE alert_rule SET name_zh = coalesce($2, name_zh), name_en = coalesce($3, name_en), definition = coalesce($4::jsonb, definition),
         enabled = coalesce($5, enabled), customized = customized OR $4::jsonb IS NOT NULL, updated_at = now() WHERE id = $1`,
      [id, patch.name_zh ?? null, patch.name_en ?? null, patch.definition ? JSON.stringify(patch.definition) : null, patch.enabled ?? null],
    );
    return (rowCount ?? 0) > 0;
  }

  async overrides(): Promise<RuleOverride[]> {
    const { rows } = await this.pool.query<RuleOverride>(
      `SELECT o.rule_id, s.id AS site, o.site_key, o.definition, o.enabled FROM alert_rule_override o JOIN site s ON s.key = o.site_key ORDER BY o.rule_id, s.id`,
    );
    return rows;
  }

  async setOverride(ruleId: string, siteKey: number, definition: RuleDefinition | null, enabled: boolean): Promise<void> {
    await this.pool.query(
      `INSERT INTO alert_rule_override (rule_id, site_key, definition, enabled) VALUES ($1, $2, $3, $4)
       ON CONFLICT (rule_id, site_key) DO UPDATE SET definition = excluded.definition, enabled = excluded.enabled, updated_at = now()`,
      [ruleId, siteKey, definition ? JSON.stringify(definition) : null, enabled],
    );
  }

  async deleteOverride(ruleId: string, siteKey: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(`DELETE FROM alert_rule_override WHERE rule_id = $1 AND site_key = $2`, [ruleId, siteKey]);
    return (rowCount ?? 0) > 0;
  }

  /** Saved rule states: all, or those of the given sites. */
  async loadStates(siteKeys?: number[]): Promise<{ rule_id: string; site_key: number; state: unknown }[]> {
    const { rows } = siteKeys
      ? await this.pool.query<{ rule_id: string; site_key: number; state: unknown }>(`SELECT rule_id, site_key, state FROM rule_state WHERE site_key = ANY($1::int[])`, [siteKeys])
      : await this.pool.query<{ rule_id: string; site_key: number; state: unknown }>(`SELECT rule_id, site_key, state FROM rule_state`);
    return rows;
  }

  /** Where in the cluster stream the saved states of these shards are true (shards never saved are absent). */
  async cursors(shards: number[]): Promise<{ shard: number; position: string }[]> {
    const { rows } = await this.pool.query<{ shard: number; position: string }>(`SELECT shard, position FROM rule_shard_cursor WHERE shard = ANY($1::smallint[])`, [shards]);
    return rows;
  }

  /**
   * Stores the changed states of one evaluation round, and in a cluster the stream position
   * they are true at for each shard judged, in one statement (so both or neither).
   */
  async saveStates(states: { ruleId: string; siteKey: number; state: unknown }[], cursors: { shard: number; position: string }[] = []): Promise<void> {
    if (states.length === 0 && cursors.length === 0) return;
    await this.pool.query(
      `WITH saved AS (
         INSERT INTO rule_state (rule_id, site_key, state, updated_at)
         SELECT rule_id, site_key, state, now() FROM unnest($1::text[], $2::int[], $3::jsonb[]) AS t(rule_id, site_key, state)
         ORDER BY rule_id, site_key
         ON CONFLICT (rule_id, site_key) DO UPDATE SET state = excluded.state, updated_at = now()
         RETURNING 1
       )
       INSERT INTO rule_shard_cursor (shard, position, saved_at)
       SELECT shard, position, now() FROM unnest($4::smallint[], $5::text[]) AS c(shard, position)
       ORDER BY shard
       ON CONFLICT (shard) DO UPDATE SET position = excluded.position, saved_at = now()`,
      [
        states.map((s) => s.ruleId),
        states.map((s) => s.siteKey),
        states.map((s) => JSON.stringify(s.state)),
        cursors.map((c) => c.shard),
        cursors.map((c) => c.position),
      ],
    );
  }
}
