import type Anthropic from '@anthropic-ai/sdk';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import {
  createAnthropicClient,
  describeAnthropicFailure,
  type AnthropicConnection,
} from './anthropicClient.js';
import { actionFromMessage, anthropicTools } from './anthropicTools.js';
import type { MenuContext, Navigator, NavigatorDecision } from './decision.js';
import { menuMessage, SYSTEM_PROMPT } from './modelPrompt.js';
import { NavigatorError } from './navigatorError.js';

export { NavigatorError };

export interface AnthropicNavigatorOptions extends AnthropicConnection {
  /** claude-haiku-4-5 by default: menus are short and the choice is small. */
  model?: string;
}

/** How sure a model's pick is taken to be: below a flow's own steps, above a guess. */
const CONFIDENCE = 0.8;
/** One tool call with a short reason. */
const MAX_TOKENS = 256;

/**
 * Decides at a menu by asking a Claude model through the Messages API,
 * which must answer with exactly one of the navigator's tools.
 *
 * No temperature is sent: API version 2026-10-21, which this SDK speaks,
 * refuses `temperature`, `top_p` and `top_k` (400) even at their defaults.
 */
export class AnthropicNavigator implements Navigator {
  readonly name = 'anthropic';
  private readonly client: Anthropic;
  private readonly model: string;

  constructor(private readonly options: AnthropicNavigatorOptions) {
    this.client = createAnthropicClient({ timeoutMs: 30_000, ...options });
    this.model = options.model ?? 'claude-haiku-4-5';
  }

  async decide(context: MenuContext): Promise<NavigatorDecision> {
    let message: Message;
    try {
      message = await this.client.messages.create({
        model: this.model,
        max_tokens: MAX_TOKENS,
        system: SYSTEM_PROMPT,
        messages: [{ role: 'user', content: menuMessage(context) }],
        tools: anthropicTools(context.secretNames),
        tool_choice: { type: 'any', disable_parallel_tool_use: true },
      });
    } catch (e) {
      const failure = describeAnthropicFailure(e, this.options.apiKey);
      throw new NavigatorError(
        `Anthropic navigator request failed: ${failure.message}`,
        failure.retryable,
      );
    }
    const { action, reason } = actionFromMessage(message, context);
    const decision: NavigatorDecision = {
      action,
      confidence: CONFIDENCE,
      reason: reason ?? `${this.model} chose ${action.kind}`,
      decidedBy: 'anthropic',
    };
    this.options.log?.info(
      { navigator: this.name, model: this.model, action: decision.action, reason: decision.reason },
      'navigator decided',
    );
    return decision;
  }
}
