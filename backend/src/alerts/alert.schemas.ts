import { SITE_KINDS } from '@tidewatch/contracts';
import { z } from 'zod';
import { queryInt, siteIdParam } from '../common/http-schemas.js';
import { ruleDefinitionSchema, SEVERITIES } from './rule-model.js';

/** Query and body schemas of the alerts and rules API. */
export const alertListQuery = z
  .object({
    state: z.enum(['active', 'acknowledged', 'resolved', 'open', 'cleared']).optional(),
    kind: z.enum(SITE_KINDS).optional(),
    site: siteIdParam.optional(),
    severity: z.enum(SEVERITIES).optional(),
    limit: queryInt(1, 1000, 200),
  })
  .strict();
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

