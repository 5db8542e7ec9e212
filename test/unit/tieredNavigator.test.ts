import pino from 'pino';
import type { MenuContext, Navigator, NavigatorDecision } from '../../navigator/decision.js';
import { RuleNavigator } from '../../navigator/ruleNavigator.js';
import { TieredNavigator } from '../../navigator/tieredNavigator.js';

const log = pino({ level: 'silent' });

/** A stand-in model: answers what it is given, or fails, and counts its calls. */
class ScriptedModel implements Navigator {
  readonly name = 'model';
  calls = 0;
  constructor(private readonly answer: () => NavigatorDecision) {}
  decide(): Promise<NavigatorDecision> {
    this.calls += 1;
    return Promise.resolve().then(this.answer);
  }
}

const pressFive: NavigatorDecision = {
  action: { kind: 'press', digits: '5' },
  confidence: 0.8,
  reason: 'model',
  decidedBy: 'openai',
};

const context = (transcript: string, tried: MenuContext['tried'] = []): MenuContext => ({
  transcript,
  intent: 'dispute a charge on my credit card',
  secretNames: [],
  path: [],
  tried,
});

describe('the tiered navigator', () => {
  const sure = 'For balances, press 1. To dispute a charge, press 3.';
  const unsure = 'For sales, press 1. For an operator, press 0.';

  it('keeps the rules when they are sure, and asks the model when not', async () => {
    const model = new ScriptedModel(() => pressFive);
    const navigator = new TieredNavigator(new RuleNavigator(), model, log, 0.6);
    expect((await navigator.decide(context(sure))).action).toEqual({ kind: 'press', digits: '3' });
    expect(model.calls).toBe(0);
    expect(await navigator.decide(context(unsure))).toEqual(pressFive);
    expect(model.calls).toBe(1);
  });

  it("keeps the rules' choice when the model fails or repeats what was tried", async () => {
    const failing = new TieredNavigator(
      new RuleNavigator(),
      new ScriptedModel(() => {
        throw new Error('429 rate limited');
      }),
      log,
    );
    const fallback = await failing.decide(context(unsure));
    expect(fallback).toMatchObject({ decidedBy: 'rules', action: { kind: 'press', digits: '0' } });
    const repeating = new TieredNavigator(
      new RuleNavigator(),
      new ScriptedModel(() => pressFive),
      log,
    );
    const decided = await repeating.decide(context(unsure, [{ kind: 'press', digits: '5' }]));
    expect(decided.decidedBy).toBe('rules');
  });
});
