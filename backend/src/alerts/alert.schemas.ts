import { SITE_KINDS } from '@tidewatch/contracts';
import { z } from 'zod';
import { queryEndTime, queryInt, queryTime, siteIdParam } from '../common/http-schemas.js';
import { ruleDefinitionSchema, SEVERITIES } from './rule-model.js';

/** Query and body schemas of the alerts and rules API. */
/** The deepest page of the alert log: narrow the filters (time, site, text) to see further. */
export const MAX_ALERT_OFFSET = 10_000;
export const alertListQuery = z
  .object({
    state: z.enum(['active', 'acknowledged', 'resolved', 'open', 'cleared']).optional(),
    kind: z.enum(SITE_KINDS).optional(),
    site: siteIdParam.optional(),
    severity: z.enum(SEVERITIES).optional(),
    /** Opened at or after `from`, before `to`. */
    from: queryTime.optional(),
    to: queryEndTime.optional(),
    /** Words in the title (either language), the site's name or a note of its history. */
    q: z.string().trim().min(1).max(200).optional(),
    limit: queryInt(1, 1000, 200),
    /** Pages by offset: deep pages cost a sort of everything before them, so the depth is bounded. */
    offset: queryInt(0, MAX_ALERT_OFFSET, 0),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['from'] });
/** At most this many alerts in one bulk step: a shift's backlog, not the whole table. */
export const MAX_BULK_IDS = 500;
export const bulkBody = z
  .object({
    ids: z.array(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)).min(1).max(MAX_BULK_IDS),
    action: z.enum(['acknowledge', 'resolve']),
    note: z.string().trim().max(2000).default(''),
  })
  .strict();
/** A shift: default the current one (docs/contract.md §4.5). */
export const handoverQuery = z.object({ from: queryTime.optional(), to: queryEndTime.optional() }).strict();
export const noteBody = z.object({ note: z.string().trim().max(2000).default('') }).strict();
/** Resolving: `confirm_active` says the caller knows the condition still holds. */
export const resolveBody = z.object({ note: z.string().trim().max(2000).default(''), confirm_active: z.boolean().default(false) }).strict();
export const requiredNote = z.object({ note: z.string().trim().min(1).max(2000) }).strict();
export const assignBody = z.object({ username: z.string().min(1).max(64), note: z.string().trim().max(2000).default('') }).strict();
export const rulePatch = z
  .object({ name_zh: z.string().min(1).max(100).optional(), name_en: z.string().min(1).max(200).optional(), definition: ruleDefinitionSchema.optional(), enabled: z.boolean().optional() })
  .strict();
export const overrideBody = z.object({ definition: ruleDefinitionSchema.nullable().default(null), enabled: z.boolean().default(true) }).strict();
export const ruleIdParam = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/);

