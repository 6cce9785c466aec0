import { ALERT_SEVERITIES, SITE_KINDS, type AlertSeverity } from '@tidewatch/contracts';
import { z } from 'zod';

export const SEVERITIES = ALERT_SEVERITIES;
export type Severity = AlertSeverity;

/** Larger is more severe. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

/** A number, or a site parameter by name (e.g. the pump station's `high_level_m`). */
const valueRef = z.union([z.number(), z.object({ param: z.string().min(1).max(64) }).strict()]);
export type ValueRef = z.infer<typeof valueRef>;

/** What a rule can ask of a site's data. */
export type Condition =
  | { type: 'threshold'; metric: string; op: 'gte' | 'gt' | 'lte' | 'lt' | 'eq'; value: ValueRef; for_minutes?: number; repeat?: number }
  | { type: 'band'; metric: string; outside: ValueRef | [number, number]; for_minutes?: number; repeat?: number }
  | { type: 'rate'; metric: string; change: number; per_minutes: number }
  | { type: 'no_data'; intervals: number }
  | { type: 'derived'; value: 'hourly_aqi' | 'water_grade_over_target' | 'effluent_exceedances'; op: 'gt' | 'gte'; threshold: number; for_minutes?: number }
  | { type: 'hazard_unrectified'; days: number }
  | EventCondition
  | { type: 'all'; of: Condition[] }
  | { type: 'any'; of: Condition[] };

/**
 * A device's own alarm event (`gas_alarm`, `pump_fault`): holds from the event on, for
 * `window_minutes` after the newest matching one and/or until an `until` event (of the same
 * `key` value, e.g. the same pump) ends it.
 */
export interface EventCondition {
  type: 'event';
  event: string;
  where?: { field: string; op: 'gte' | 'gt' | 'lte' | 'lt' | 'eq'; value: number };
  window_minutes?: number;
  until?: string;
  key?: string;
}

const metric = z.string().regex(/^[a-z0-9_]{1,40}$/);
const eventType = z.string().regex(/^[a-z0-9_]{1,32}$/);
const eventCondition = z
  .object({
    type: z.literal('event'),
    event: eventType,
    where: z.object({ field: metric, op: z.enum(['gte', 'gt', 'lte', 'lt', 'eq']), value: z.number() }).strict().optional(),
    window_minutes: z.number().positive().max(7 * 24 * 60).optional(),
    until: eventType.optional(),
    key: metric.optional(),
  })
  .strict()
  .refine((c) => c.window_minutes !== undefined || c.until !== undefined, 'an event condition needs window_minutes or until (or it would never end)');
const minutes = z.number().min(0).max(7 * 24 * 60);
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('threshold'), metric, op: z.enum(['gte', 'gt', 'lte', 'lt', 'eq']), value: valueRef, for_minutes: minutes.optional(), repeat: z.number().int().min(1).max(1000).optional() }).strict(),
    z.object({ type: z.literal('band'), metric, outside: z.union([valueRef, z.tuple([z.number(), z.number()])]), for_minutes: minutes.optional(), repeat: z.number().int().min(1).max(1000).optional() }).strict(),
    z.object({ type: z.literal('rate'), metric, change: z.number(), per_minutes: z.number().positive().max(24 * 60) }).strict(),
    z.object({ type: z.literal('no_data'), intervals: z.number().positive().max(1000) }).strict(),
    z.object({ type: z.literal('derived'), value: z.enum(['hourly_aqi', 'water_grade_over_target', 'effluent_exceedances']), op: z.enum(['gt', 'gte']), threshold: z.number(), for_minutes: minutes.optional() }).strict(),
    z.object({ type: z.literal('hazard_unrectified'), days: z.number().positive().max(365) }).strict(),
    eventCondition,
    z.object({ type: z.literal('all'), of: z.array(conditionSchema).min(1).max(10) }).strict(),
    z.object({ type: z.literal('any'), of: z.array(conditionSchema).min(1).max(10) }).strict(),
  ]),
);

/** Nesting depth of a JSON value, measured without recursion (so any input is safe to measure). */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    max = Math.max(max, d);
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** Deeper than any sensible rule: refused before the recursive schema walks it. */
export const MAX_RULE_DEPTH = 16;

const ruleDefinitionShape = z
  .object({
    title: z.object({ zh: z.string().min(1).max(100), en: z.string().min(1).max(200) }).strict(),
    /** Checked from the most severe down; the first that holds sets the severity. */
    levels: z.array(z.object({ severity: z.enum(SEVERITIES), when: conditionSchema }).strict()).min(1).max(4),
    /** Hysteresis: once triggered, the alert clears only when this holds (default: no level holds). */
    clear: conditionSchema.optional(),
  })
  .strict();

export const ruleDefinitionSchema = z
  .unknown()
  .refine((v) => jsonDepth(v) <= MAX_RULE_DEPTH, `a rule may nest at most ${MAX_RULE_DEPTH} levels`)
  .pipe(ruleDefinitionShape);
export type RuleDefinition = z.infer<typeof ruleDefinitionShape>;

export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
    kind: z.enum(SITE_KINDS),
    name_zh: z.string().min(1).max(100),
    name_en: z.string().min(1).max(200),
    definition: ruleDefinitionSchema,
    enabled: z.boolean().default(true),
  })
  .strict();
export type RuleInput = z.infer<typeof ruleSchema>;

export interface Rule extends RuleInput {
  builtin: boolean;
  customized: boolean;
}
