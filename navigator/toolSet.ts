/**
 * The navigator's tools, once, in no provider's shape: each provider's
 * module renders them into its own (OpenAI functions, Anthropic tools).
 */

/** A JSON Schema for one tool's arguments: an object of named properties, all required. */
export interface ToolParameters {
  type: 'object';
  properties: Record<string, object>;
  required: string[];
  additionalProperties: false;
}

export interface ToolSpec {
  name: string;
  description: string;
  parameters: ToolParameters;
}

/** Keys a menu takes: the twelve of a phone's keypad. */
export const DIGITS_PATTERN = '^[0-9*#]{1,32}$';

const reason = {
  type: 'string',
  description: 'Why this action, in a few words: which words of the menu it follows.',
} as const;

/** Every property is required (strict schemas ask for that); a reason comes with each call. */
function tool(name: string, description: string, properties: Record<string, object>): ToolSpec {
  return {
    name,
    description,
    parameters: {
      type: 'object',
      properties: { ...properties, reason },
      required: [...Object.keys(properties), 'reason'],
      additionalProperties: false,
    },
  };
}

/** The tools offered at a menu; key_secret only when the call carries secrets, naming them. */
export function navigatorToolSpecs(secretNames: readonly string[]): ToolSpec[] {
  const tools = [
    tool('press_digits', 'Press keypad keys, e.g. the option the menu gave for the intent.', {
      digits: {
        type: 'string',
        pattern: DIGITS_PATTERN,
        description: 'Keys to press: 0-9, * and #.',
      },
    }),
    tool('say_phrase', 'Say a short phrase to a menu that asks to be spoken to.', {
      phrase: { type: 'string', description: 'The words to say, as few as the menu needs.' },
    }),
    tool('wait', 'Do nothing yet: the menu is not finished, or it moves on by itself.', {}),
    tool('go_back', 'Leave this menu for the previous one, with the keys it gave for that.', {
      digits: {
        type: 'string',
        pattern: DIGITS_PATTERN,
        description: 'Keys that go back, often *.',
      },
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
