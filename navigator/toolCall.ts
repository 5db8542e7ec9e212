import { z } from 'zod';
import { formatPath } from '../validation/issues.js';
import type { MenuContext, NavigatorAction } from './decision.js';

/**
 * What a model's one tool call stands for, whatever its provider: the
 * tool's name and its arguments (already parsed from JSON) are checked
 * against the tool's schema and the call's secrets, then become an action.
 */

export interface ToolChoice {
  action: NavigatorAction;
  reason: string | undefined;
}

/** A tool call read, or what is wrong with it; the provider decides whether to ask again. */
export type ToolReading = { ok: true; choice: ToolChoice } | { ok: false; problem: string };

const digits = z.string().regex(/^[0-9*#]{1,32}$/, 'must be 1 to 32 keys of 0-9, * and #');
const why = z
  .string()
  .max(500)
  .nullish()
  .transform((r) => r?.trim() || undefined);

/** Each tool's arguments, and the action they stand for. */
const ARGUMENTS = {
  press_digits: z.object({ digits, reason: why }).transform((a): ToolChoice => ({
    action: { kind: 'press', digits: a.digits },
    reason: a.reason,
  })),
  say_phrase: z
    .object({ phrase: z.string().trim().min(1).max(200), reason: why })
    .transform((a): ToolChoice => ({
      action: { kind: 'say', phrase: a.phrase },
      reason: a.reason,
    })),
  key_secret: z
    .object({ name: z.string().min(1), terminator: z.enum(['', '#', '*']), reason: why })
    .transform((a): ToolChoice => ({
      action: { kind: 'key-secret', name: a.name, terminator: a.terminator },
      reason: a.reason,
    })),
  wait: z
    .object({ reason: why })
    .transform((a): ToolChoice => ({ action: { kind: 'wait' }, reason: a.reason })),
  go_back: z.object({ digits, reason: why }).transform((a): ToolChoice => ({
    action: { kind: 'go-back', digits: a.digits },
    reason: a.reason,
  })),
} as const;

type ToolName = keyof typeof ARGUMENTS;

/** Whether the navigator has a tool of this name. */
export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(ARGUMENTS, name);
}

/** One tool call, by name and parsed arguments, as the action it stands for. */
export function readToolCall(name: string, args: unknown, context: MenuContext): ToolReading {
  if (!isToolName(name)) {
    return { ok: false, problem: `the model called an unknown tool "${name}"` };
  }
  const parsed = ARGUMENTS[name].safeParse(args);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `${formatPath(i.path) || '(arguments)'}: ${i.message}`,
    );
    return { ok: false, problem: `${name} arguments are invalid: ${issues.join('; ')}` };
  }
  const choice = parsed.data;
  if (choice.action.kind === 'key-secret' && !context.secretNames.includes(choice.action.name)) {
    const known = context.secretNames.length ? context.secretNames.join(', ') : 'none';
    return {
      ok: false,
      problem: `key_secret argument name: "${choice.action.name}" is not a secret of this call (it has ${known})`,
    };
  }
  return { ok: true, choice };
}
