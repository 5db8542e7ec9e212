import type {
  ChatCompletionFunctionTool,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions';
import { z } from 'zod';
import { formatPath } from '../validation/issues.js';
import type { MenuContext, NavigatorAction } from './decision.js';

/** Why a navigator could not decide: the model's answer did not fit, or the request failed. */
export class NavigatorError extends Error {
  constructor(
    message: string,
    /** False when asking again cannot help (a rejected key, a bad request). */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'NavigatorError';
  }
}

/** Keys a menu takes: the twelve of a phone's keypad. */
const DIGITS = '^[0-9*#]{1,32}$';

const reason = {
  type: 'string',
  description: 'Why this action, in a few words: which words of the menu it follows.',
} as const;

function tool(
  name: string,
  description: string,
  properties: Record<string, object>,
): ChatCompletionFunctionTool {
  return {
    type: 'function',
    function: {
      name,
      description,
      // Strict schemas make the model's arguments follow them; they are still checked on return.
      strict: true,
      parameters: {
        type: 'object',
        properties: { ...properties, reason },
        required: [...Object.keys(properties), 'reason'],
        additionalProperties: false,
      },
    },
  };
}

/** The tools offered at a menu; key_secret only when the call carries secrets, naming them. */
export function navigatorTools(secretNames: readonly string[]): ChatCompletionFunctionTool[] {
  const tools = [
    tool('press_digits', 'Press keypad keys, e.g. the option the menu gave for the intent.', {
      digits: { type: 'string', pattern: DIGITS, description: 'Keys to press: 0-9, * and #.' },
    }),
    tool('say_phrase', 'Say a short phrase to a menu that asks to be spoken to.', {
      phrase: { type: 'string', description: 'The words to say, as few as the menu needs.' },
    }),
    tool('wait', 'Do nothing yet: the menu is not finished, or it moves on by itself.', {}),
    tool('go_back', 'Leave this menu for the previous one, with the keys it gave for that.', {
      digits: { type: 'string', pattern: DIGITS, description: 'Keys that go back, often *.' },
    }),
  ];
  if (secretNames.length > 0) {
    tools.splice(
      2,
      0,
      tool(
        'key_secret',
        'Key in information the caller gave (an account number, a date of birth) when the menu asks for it. Name it; its value is keyed for you.',
        {
          name: { type: 'string', enum: [...secretNames], description: 'Which secret to key.' },
          terminator: {
            type: 'string',
            enum: ['', '#', '*'],
            description: 'The key the menu said to finish with, or "" if it said none.',
          },
        },
      ),
    );
  }
  return tools;
}

const digits = z.string().regex(/^[0-9*#]{1,32}$/, 'must be 1 to 32 keys of 0-9, * and #');
const why = z
  .string()
  .max(500)
  .nullish()
  .transform((r) => r?.trim() || undefined);

export interface ToolChoice {
  action: NavigatorAction;
  reason: string | undefined;
}

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

function isToolName(name: string): name is ToolName {
  return Object.hasOwn(ARGUMENTS, name);
}

/** The one tool call of a reply, checked against its schema and the call's secrets. */
export function actionFromToolCalls(
  calls: ChatCompletionMessageToolCall[] | undefined,
  context: MenuContext,
): ToolChoice {
  if (!calls || calls.length === 0) {
    throw new NavigatorError('the model answered without calling a tool', true);
  }
  if (calls.length > 1) {
    const names = calls.map((c) => (c.type === 'function' ? c.function.name : c.type));
    throw new NavigatorError(
      `the model called ${calls.length} tools (${names.join(', ')}), expected one`,
      true,
    );
  }
  const call = calls[0]!;
  if (call.type !== 'function') {
    throw new NavigatorError(`the model called a ${call.type} tool, expected a function`, true);
  }
  const { name } = call.function;
  if (!isToolName(name))
    throw new NavigatorError(`the model called an unknown tool "${name}"`, true);

  let raw: unknown;
  try {
    raw = JSON.parse(call.function.arguments);
  } catch {
    throw new NavigatorError(
      `${name} arguments are not JSON: ${call.function.arguments.slice(0, 200)}`,
      true,
    );
  }
  const parsed = ARGUMENTS[name].safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `${formatPath(i.path) || '(arguments)'}: ${i.message}`,
    );
    throw new NavigatorError(`${name} arguments are invalid: ${issues.join('; ')}`, true);
  }
  const choice = parsed.data;
  if (choice.action.kind === 'key-secret' && !context.secretNames.includes(choice.action.name)) {
    const known = context.secretNames.length ? context.secretNames.join(', ') : 'none';
    throw new NavigatorError(
      `key_secret argument name: "${choice.action.name}" is not a secret of this call (it has ${known})`,
      true,
    );
  }
  return choice;
}
