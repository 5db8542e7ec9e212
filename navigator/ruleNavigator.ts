import type { MenuContext, Navigator, NavigatorAction, NavigatorDecision } from './decision.js';
import { confidenceOf, matchScore } from './intentMatcher.js';
import type { MenuOption, ParsedMenu } from './menuModel.js';
import { parseMenu } from './menuParser.js';
import { matchSecret } from './secretMatcher.js';

/** A score below this (half a concept) is no fit: fallbacks come first. */
const MIN_FIT = 0.5;
/** Words of the intent said to a menu that asks, in a few words, why one calls. */
const SPOKEN_INTENT_WORDS = 8;

/**
 * The offline navigator: reads the menu's options from its words and
 * chooses the one closest to the intent, keys in the secret a prompt asks
 * for, waits where staying on the line reaches someone, and falls back on
 * an operator or "anything else" when nothing fits. No network, no cost,
 * the same answer every time for the same menu.
 */
export class RuleNavigator implements Navigator {
  readonly name = 'rules';

  decide(context: MenuContext): Promise<NavigatorDecision> {
    return Promise.resolve(decideByRules(context));
  }
}

export function decideByRules(context: MenuContext): NavigatorDecision {
  const menu = parseMenu(context.transcript);
  const untried = (action: NavigatorAction) => !context.tried.some((t) => sameAction(t, action));
  const decision = (action: NavigatorAction, confidence: number, reason: string) =>
    ({ action, confidence, reason, decidedBy: 'rules' }) satisfies NavigatorDecision;

  const english = menu.options.find((o) => o.kind === 'language' && /\benglish\b/.test(o.label));
  if (english && untried(press(english)))
    return decision(press(english), 0.95, 'the menu asks for a language: English');

  const entry = secretEntry(menu, context);
  if (entry && untried(entry.action)) return decision(entry.action, entry.confidence, entry.reason);

  const candidates = menu.options.filter(
    (o) => ['choice', 'operator', 'other'].includes(o.kind) && untried(actionFor(o)),
  );
  const ranked = rank(candidates, context.intent);
  const best = ranked[0];
  if (best && best.score >= MIN_FIT) {
    const confidence = confidenceOf(best.score, ranked[1]?.score ?? 0);
    return decision(actionFor(best.option), confidence, `"${best.option.label}" fits the intent`);
  }

  const wait: NavigatorAction = { kind: 'wait' };
  if (menu.waitOffer && untried(wait))
    return decision(wait, 0.6, 'nothing fits, and the line says staying on it reaches someone');
  for (const kind of ['operator', 'other'] as const) {
    const fallback = candidates.find((o) => o.kind === kind);
    if (fallback)
      return decision(actionFor(fallback), 0.45, `nothing fits better than "${fallback.label}"`);
  }
  const spoken = spokenIntent(context.intent);
  if (menu.freeSpeech && untried(spoken))
    // Unsure by design: a language model, when there is one, words it better.
    return decision(spoken, 0.5, 'the menu asks, in a few words, why we call');
  const back = menu.options.find((o) => o.kind === 'back');
  if (back && menu.options.length > 1 && context.tried.length > 0 && untried(press(back)))
    return decision(
      { kind: 'go-back', digits: back.keys },
      0.4,
      'every way on from this menu was tried',
    );
  if (candidates.length > 0) {
    const guess = candidates[0]!;
    return decision(actionFor(guess), 0.2, `nothing fits the intent; trying "${guess.label}"`);
  }
  if (menu.options.length === 0 && !menu.input && !menu.freeSpeech)
    return decision(wait, untried(wait) ? 0.9 : 0.5, 'no question asked: listening on');
  return decision(wait, 0.1, 'no option left to try');
}

interface Entry {
  action: NavigatorAction;
  confidence: number;
  reason: string;
}

/** The secret a prompt asks to be keyed in, when one given with the call fits it. */
function secretEntry(menu: ParsedMenu, context: MenuContext): Entry | undefined {
  const input = menu.input;
  if (!input) return undefined;
  const match = matchSecret(input.what, context.secretNames);
  if (!match) return undefined;
  // An extension is keyed with nothing after it; other entries take the terminator the prompt names.
  const action: NavigatorAction = {
    kind: 'key-secret',
    name: match.name,
    terminator: input.extension ? '' : input.terminator,
  };
  const confidence = match.score > match.runnerUp ? 0.9 : 0.5;
  return { action, confidence, reason: `the menu asks for ${input.what}` };
}

function rank(options: MenuOption[], intent: string): Array<{ option: MenuOption; score: number }> {
  return options
    .map((option) => ({ option, score: matchScore(intent, option.label) }))
    .sort((a, b) => b.score - a.score || preferKeys(a.option, b.option));
}

/** On equal scores, a key beats a phrase: keys are never misheard. */
function preferKeys(a: MenuOption, b: MenuOption): number {
  return (a.by === 'dtmf' ? 0 : 1) - (b.by === 'dtmf' ? 0 : 1);
}

function press(option: MenuOption): NavigatorAction {
  return { kind: 'press', digits: option.keys };
}

function actionFor(option: MenuOption): NavigatorAction {
  return option.by === 'dtmf' ? press(option) : { kind: 'say', phrase: option.keys };
}

function spokenIntent(intent: string): NavigatorAction {
  return { kind: 'say', phrase: intent.split(/\s+/).slice(0, SPOKEN_INTENT_WORDS).join(' ') };
}

/** Two actions do the same thing: the same keys, phrase or secret. */
export function sameAction(a: NavigatorAction, b: NavigatorAction): boolean {
  switch (a.kind) {
    case 'press':
    case 'go-back':
      return (b.kind === 'press' || b.kind === 'go-back') && b.digits === a.digits;
    case 'say':
      return b.kind === 'say' && b.phrase.toLowerCase() === a.phrase.toLowerCase();
    case 'key-secret':
      return b.kind === 'key-secret' && b.name === a.name;
    case 'wait':
      return b.kind === 'wait';
  }
}
