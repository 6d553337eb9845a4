import * as z from 'zod';
import type { UserData } from '../pipeline/types.ts';
import { validateCustomData } from './custom-data.ts';
import { fail, fromZod, notA, safeParse, tooLong } from './issues.ts';
import { LIMITS } from './limits.ts';
import type { ValidationIssue, ValidationResult } from './payload-types.ts';
import { cleanLabel, hasControlChars } from './text.ts';

/** A validated `identify` call: what gets stored on the visitor. */
export type ValidatedUser = { userId: string } & UserData;

const userFieldsSchema = z.object({
  name: z.string().max(LIMITS.userNameMaxChars).nullish(),
  email: z.string().max(LIMITS.emailMaxChars).nullish(),
  phone: z.string().max(LIMITS.phoneMaxChars).nullish(),
  metadata: z.unknown().optional(),
});
const userDataSchema = userFieldsSchema.nullish();

// One "@" with something on each side and no spaces: the only check that holds for every valid address.
const EMAIL = /^[^\s@]+@[^\s@]+$/;

function checkUserId(userId: unknown, issues: ValidationIssue[]): string {
  // Numeric ids are common (`req.body.id`); they are stored as their decimal string.
  const id = typeof userId === 'number' && Number.isFinite(userId) ? String(userId) : userId;
  if (typeof id !== 'string') issues.push({ field: 'userId', reason: notA('string', userId) });
  else if (id.trim() === '') issues.push({ field: 'userId', reason: 'must not be empty' });
  else if (id.length > LIMITS.userIdMaxChars)
    issues.push({ field: 'userId', reason: tooLong(LIMITS.userIdMaxChars, id.length) });
  else if (hasControlChars(id))
    issues.push({ field: 'userId', reason: 'must not contain control characters' });
  else return id;
  return '';
}

/**
 * Validates an `identify(userId, userData)` call: `userId` a string (or finite number) of 1–255
 * chars; `userData` optional with `name` (≤ 255), `email` (≤ 320, one "@"), `phone` (≤ 50) and
 * `metadata` (JSON ≤ 8 KB, the `customData` rules). Text is trimmed with control chars removed;
 * empty strings count as absent. Unknown keys are ignored. Never throws.
 *
 * @example
 * const user = validateUserData(account.id, { email: account.email, metadata: { plan: 'pro' } });
 * if (!user.ok) throw new Error(user.issues.map((i) => `${i.field} ${i.reason}`).join('; '));
 */
export function validateUserData(userId: unknown, userData: unknown): ValidationResult<ValidatedUser> {
  try {
    const issues: ValidationIssue[] = [];
    const id = checkUserId(userId, issues);
    const parsed = safeParse(userDataSchema, userData);
    if (!parsed.success)
      return { ok: false, issues: [...issues, ...fromZod(parsed.error.issues, 'userData')] };
    const data: Partial<z.output<typeof userFieldsSchema>> = parsed.data ?? {};
    const user: ValidatedUser = { userId: id };
    const name = cleanLabel(data.name ?? '', LIMITS.userNameMaxChars);
    if (name !== '') user.name = name;
    // Lowercased, as the original Skopos SDK stored it: one address, one spelling to search for.
    const email = cleanLabel(data.email ?? '', LIMITS.emailMaxChars).toLowerCase();
    if (email !== '' && !EMAIL.test(email))
      issues.push({ field: 'userData.email', reason: 'must be an email address' });
    else if (email !== '') user.email = email;
    const phone = cleanLabel(data.phone ?? '', LIMITS.phoneMaxChars);
    if (phone !== '') user.phone = phone;
    const metadata = validateCustomData(data.metadata, 'userData.metadata', LIMITS.metadataMaxBytes);
    if (!metadata.ok) issues.push(...metadata.issues);
    else if (metadata.value !== undefined) user.metadata = metadata.value;
    return issues.length > 0 ? { ok: false, issues } : { ok: true, value: user };
  } catch {
    return fail('userData', 'could not be read (a getter or proxy threw)');
  }
}
