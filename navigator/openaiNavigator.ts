import type OpenAI from 'openai';
import {
  createOpenAIClient,
  describeOpenAIFailure,
  type OpenAIConnection,
} from '../media/speech/openaiClient.js';
import type { MenuContext, Navigator, NavigatorDecision } from './decision.js';
import { menuMessage, SYSTEM_PROMPT } from './modelPrompt.js';
import { NavigatorError } from './navigatorError.js';
import { actionFromToolCalls, navigatorTools } from './openaiTools.js';

export { NavigatorError };

export interface OpenAINavigatorOptions extends OpenAIConnection {
  /** gpt-4o-mini by default: menus are short and the choice is small. */
  model?: string;
}

/** How sure a model's pick is taken to be: below a flow's own steps, above a guess. */
const CONFIDENCE = 0.8;

/**
 * Decides at a menu by asking a chat model, which must answer with one of
 * the navigator's tools (press, say, key a secret by name, wait, go back).
 */
export class OpenAINavigator implements Navigator {
  readonly name = 'openai';
  private readonly client: OpenAI;
  private readonly model: string;

  constructor(private readonly options: OpenAINavigatorOptions) {
    this.client = createOpenAIClient({ timeoutMs: 30_000, ...options });
    this.model = options.model ?? 'gpt-4o-mini';
  }

  async decide(context: MenuContext): Promise<NavigatorDecision> {
    let completion: OpenAI.Chat.ChatCompletion;
    try {
      completion = await this.client.chat.completions.create({
        model: this.model,
        temperature: 0,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: menuMessage(context) },
        ],
        tools: navigatorTools(context.secretNames),
        tool_choice: 'required',
        parallel_tool_calls: false,
      });
    } catch (e) {
      const failure = describeOpenAIFailure(e, this.options.apiKey);
      throw new NavigatorError(
        `OpenAI navigator request failed: ${failure.message}`,
        failure.retryable,
      );
    }
    const message = completion.choices[0]?.message;
    if (message?.refusal) {
      throw new NavigatorError(`the model refused: ${message.refusal}`, false);
    }
    const { action, reason } = actionFromToolCalls(message?.tool_calls, context);
    const decision: NavigatorDecision = {
      action,
      confidence: CONFIDENCE,
      reason: reason ?? `${this.model} chose ${action.kind}`,
      decidedBy: 'openai',
    };
    this.options.log?.info(
      { navigator: this.name, model: this.model, action: decision.action, reason: decision.reason },
      'navigator decided',
    );
    return decision;
  }
}
