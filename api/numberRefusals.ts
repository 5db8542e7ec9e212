import { refusalFor, type RefusedNumberRules } from '../safety/refusedNumbers.js';
import type { ValidationIssue } from '../validation/issues.js';
import { HttpError } from './httpErrors.js';

/**
 * Refuses a request naming an emergency or premium-rate number in any of
 * `fields`. It reads the body as sent, before its schema, so that "911" is
 * answered as an emergency number and not as a badly written one.
 */
export function refuseNumbers(
  body: unknown,
  fields: readonly string[],
  rules: RefusedNumberRules,
): void {
  const issues = refusedNumberIssues(body, fields, rules);
  if (issues.length > 0)
    throw new HttpError(422, issues.map((i) => i.message).join('; '), issues, 'refused_number');
}

/** Each of `fields` that names a number never dialled, and why. */
export function refusedNumberIssues(
  body: unknown,
  fields: readonly string[],
  rules: RefusedNumberRules,
): ValidationIssue[] {
  if (typeof body !== 'object' || body === null) return [];
  return fields.flatMap((field) => {
    const value = (body as Record<string, unknown>)[field];
    const refusal = typeof value === 'string' ? refusalFor(value, rules) : undefined;
    return refusal ? [{ path: field, message: refusal.message }] : [];
  });
}
