import type {
  ChatCompletionFunctionTool,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions';
import type { MenuContext } from './decision.js';
import { NavigatorError } from './navigatorError.js';
import { isToolName, readToolCall, type ToolChoice } from './toolCall.js';
import { navigatorToolSpecs } from './toolSet.js';

/** The navigator's tools as OpenAI functions, with strict schemas. */
export function navigatorTools(secretNames: readonly string[]): ChatCompletionFunctionTool[] {
  return navigatorToolSpecs(secretNames).map((spec) => ({
    type: 'function',
    function: {
      name: spec.name,
      description: spec.description,
      // Strict schemas make the model's arguments follow them; they are still checked on return.
      strict: true,
      parameters: { ...spec.parameters },
    },
  }));
}

/**
 * The one tool call of a reply, checked against its schema and the call's
 * secrets. A reply that does not fit is worth asking for again.
 */
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
  const { name, arguments: text } = call.function;
  // OpenAI sends the arguments as JSON text: an unknown tool is named before they are read.
  let args: unknown = {};
  if (isToolName(name)) {
    try {
      args = JSON.parse(text);
    } catch {
      throw new NavigatorError(`${name} arguments are not JSON: ${text.slice(0, 200)}`, true);
    }
  }
  const reading = readToolCall(name, args, context);
  if (!reading.ok) throw new NavigatorError(reading.problem, true);
  return reading.choice;
}
