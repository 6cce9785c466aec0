import { ROLES } from '@tidewatch/contracts';
import { z } from 'zod';
import { PASSWORD_MAX } from './password-policy.js';

/** Bodies of the sign-in and user routes. */
const username = z.string().regex(/^[A-Za-z0-9_.-]{3,64}$/, '3–64 letters, digits, _ . -');
const newPassword = z.string().min(1).max(PASSWORD_MAX);
const role = z.enum(ROLES);

export const loginSchema = z
  .object({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(PASSWORD_MAX),
  })
  .strict();

export const refreshSchema = z.object({ refresh_token: z.string().min(20).max(200) }).strict();

export const passwordChangeSchema = z.object({ current_password: z.string().min(1).max(PASSWORD_MAX), new_password: newPassword }).strict();

export const passwordResetSchema = z.object({ password: newPassword }).strict();

export const userCreateSchema = z
  .object({ username, password: newPassword, role, must_change_password: z.boolean().default(true) })
  .strict();

export const userPatchSchema = z
  .object({ role: role.optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.disabled !== undefined, 'role or disabled is required');
