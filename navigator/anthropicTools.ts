import type { Message, Tool, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages';
import type { MenuContext } from './decision.js';
import { NavigatorError } from './navigatorError.js';
import { readToolCall, type ToolChoice } from './toolCall.js';
import { navigatorToolSpecs } from './toolSet.js';

/** The navigator's tools in Anthropic's shape: a name, a description and an input schema. */
export function anthropicTools(secretNames: readonly string[]): Tool[] {
  return navigatorToolSpecs(secretNames).map((spec) => ({
    name: spec.name,
    description: spec.description,
    input_schema: { ...spec.parameters },
  }));
}

const clip = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}...` : text);

/**
 * The one tool_use block of a reply, checked against its schema and the
 * call's secrets. The request forces a single tool call, so an answer that
 * does not fit is a fault, not a reason to ask again.
 */
export function actionFromMessage(message: Message, context: MenuContext): ToolChoice {
  if (message.stop_reason === 'refusal') {
    const why = message.stop_details?.explanation ?? message.stop_details?.category;
    throw new NavigatorError(`the model refused${why ? `: ${why}` : ''}`, false);
  }
  // A tool call cut short has arguments cut short.
  if (message.stop_reason === 'max_tokens') {
    throw new NavigatorError('the answer was cut off at max_tokens', false);
  }
  const uses = message.content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
  if (uses.length === 0) {
    const text = message.content
      .flatMap((b) => (b.type === 'text' ? [b.text] : []))
      .join(' ')
      .trim();
    throw new NavigatorError(
      `the model answered without calling a tool (stop_reason ${message.stop_reason ?? 'none'})${text ? `: "${clip(text)}"` : ''}`,
      false,
    );
  }
  if (uses.length > 1) {
    throw new NavigatorError(
      `the model called ${uses.length} tools (${uses.map((u) => u.name).join(', ')}), expected one`,
      false,
    );
  }
  const reading = readToolCall(uses[0]!.name, uses[0]!.input, context);
  if (!reading.ok) throw new NavigatorError(reading.problem, false);
  return reading.choice;
}
