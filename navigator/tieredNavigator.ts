import type { Logger } from 'pino';
import type { MenuContext, Navigator, NavigatorDecision } from './decision.js';
import { sameAction } from './ruleNavigator.js';

import { DEFAULT_CONFIDENCE_THRESHOLD } from './threshold.js';

/**
 * The rules decide first (no network, no cost); only where they are unsure,
 * or the menu wants free speech, is the language model asked. If it fails,
 * the rules' choice stands: a call never stops for a provider's outage.
 */
export class TieredNavigator implements Navigator {
  readonly name: string;

  constructor(
    private readonly rules: Navigator,
    private readonly model: Navigator | undefined,
    private readonly log: Logger,
    private readonly threshold = DEFAULT_CONFIDENCE_THRESHOLD,
  ) {
    this.name = model ? `${rules.name}+${model.name}` : rules.name;
  }

  async decide(context: MenuContext): Promise<NavigatorDecision> {
    const ruled = await this.rules.decide(context);
    if (!this.model || ruled.confidence >= this.threshold) return ruled;
    try {
      const modelled = await this.model.decide(context);
      // What already led back to this menu would lead back again.
      if (context.tried.some((t) => sameAction(t, modelled.action))) {
        this.log.info(
          { action: modelled.action },
          'the model chose what was tried here: the rules decide',
        );
        return ruled;
      }
      return modelled;
    } catch (e) {
      this.log.warn(
        { err: e instanceof Error ? e.message : String(e), navigator: this.model.name },
        'language-model navigator failed: the rules decide',
      );
      return ruled;
    }
  }
}
