import type { MenuContext, Navigator, NavigatorAction, NavigatorDecision } from './decision.js';
import { confidenceOf, rankOptions } from './optionRanking.js';
import type { MenuOption, ParsedMenu } from './menuModel.js';
import { mergeHearings, stillPoor } from './menuMerge.js';
import { parseMenu } from './menuParser.js';
import { matchSecret } from './secretMatcher.js';
import { answerYesNo } from './yesNo.js';
import { DEFAULT_CONFIDENCE_THRESHOLD } from './threshold.js';

/** Words of the intent said to a menu that asks, in a few words, why one calls. */
const SPOKEN_INTENT_WORDS = 8;
/** Hearings of one menu before choosing on what was heard. */
const MAX_HEARINGS = 3;
/**
 * Options whose chances are this close are a coin toss between them: a
 * safe way on beats tossing it. (Any wider lead is the best guess there is,
 * and the fitted chance of the safe way has had its say in the ranking.)
 */
const TIE = 1.2;
/** The ways on that a caller unsure of the menu takes, safest first. */
const SAFE_KINDS = ['more', 'other', 'operator', 'stay'] as const;

/**
 * The offline navigator: reads the menu's options from its words and
 * chooses the one that fits the errand best, keys in the secret a prompt
 * asks for, waits where staying on the line reaches someone. Where it is
 * not sure (below the threshold at which a language model is asked), it
 * takes the safest way on: more options, "all other questions", a person;
 * where nothing fits at all, it hears the menu again before trying
 * anything. No network, no cost, the same answer every time.
 */
export class RuleNavigator implements Navigator {
  readonly name = 'rules';

  constructor(private readonly threshold = DEFAULT_CONFIDENCE_THRESHOLD) {}

  decide(context: MenuContext): Promise<NavigatorDecision> {
    return decideByRules(context, this.threshold);
  }
}

export async function decideByRules(
  context: MenuContext,
  threshold = DEFAULT_CONFIDENCE_THRESHOLD,
): Promise<NavigatorDecision> {
  const heardBefore = context.heardBefore ?? [];
  const menu =
    heardBefore.length > 0
      ? mergeHearings([...heardBefore, context.transcript])
      : parseMenu(context.transcript);
  const untried = (action: NavigatorAction) => !context.tried.some((t) => sameAction(t, action));
  const decision = (action: NavigatorAction, confidence: number, reason: string) =>
    ({ action, confidence, reason, decidedBy: 'rules' }) satisfies NavigatorDecision;

  const language = languageOf(context.intent);
  const spoken = menu.options.find(
    (o) => o.kind === 'language' && LANGUAGE_NAMES[language]!.test(o.label),
  );
  if (spoken && untried(press(spoken)))
    return decision(press(spoken), 0.95, `the menu asks for a language: ${language}`);

  // The person asks, through the errand, to hear the choices again ("sorry, what were those?").
  if (asksToHearAgain(context.intent)) {
    const again = menu.options.find((o) => o.kind === 'repeat');
    if (again && untried(actionFor(again)))
      return {
        ...decision(actionFor(again), 0.9, 'asked to hear the choices again'),
        hearAgain: true,
      };
  }

  const entry = secretEntry(menu, context);
  if (entry && untried(entry.action) && !(await optionBeatsEntry(menu, context)))
    return decision(entry.action, entry.confidence, entry.reason);

  const yesNo = answerYesNo(context.transcript, context.intent, menu.options);
  if (yesNo && untried(actionFor(yesNo.answer)))
    return decision(actionFor(yesNo.answer), yesNo.confidence, yesNo.reason);

  const candidates = candidatesOf(menu).filter((o) => untried(actionFor(o)));
  const safe = SAFE_KINDS.map((k) => candidates.find((o) => o.kind === k)).find(Boolean);
  const wait: NavigatorAction = { kind: 'wait' };

  // Options lost to a poor line may be the ones that fit: the menu repeats, so it is heard again,
  // by waiting for it once, then by its own key for hearing it again.
  const hearings = [...heardBefore, context.transcript];
  const poor = stillPoor(hearings, menu);
  if (poor && heardBefore.length === 0 && untried(wait))
    return {
      ...decision(wait, 0.5, 'the menu was not heard clearly: hearing it again'),
      hearAgain: true,
    };
  const repeat = menu.options.find((o) => o.kind === 'repeat' && o.by === 'dtmf');
  if (poor && repeat && hearings.length < MAX_HEARINGS && untried(press(repeat)))
    return {
      ...decision(press(repeat), 0.5, 'the menu is still not clear: asking to hear it again'),
      hearAgain: true,
    };
  // Ranked only once the menu is to be chosen from: a menu heard again is read again.
  const ranked = await rankOptions(context.intent, candidates);
  const best = ranked[0];
  if (best && (best.fits || isSafe(best.option))) {
    // What could not be heard may have fitted better; and a way on that nothing in the errand
    // speaks for is likeliest by its kind alone: a language model, when there is one, knows more.
    const confidence = Math.min(confidenceOf(ranked), poor || !best.fits ? threshold - 0.05 : 1);
    const what = best.fits
      ? `"${best.option.label}" fits the intent (${best.because.join(', ')})`
      : `"${best.option.label}" is likelier than any option the errand names`;
    // A tie with a safe way on is no toss-up: the ranking has weighed the safe way already.
    const runnerUp = ranked.find((r) => r !== best && !isSafe(r.option));
    const nearTie = runnerUp !== undefined && best.chance < TIE * runnerUp.chance;
    if (confidence >= threshold || !safe || safe === best.option || !nearTie)
      return decision(actionFor(best.option), confidence, what);
    return decision(
      actionFor(safe),
      Math.min(confidence, threshold - 0.05),
      `unsure: ${what}, but "${runnerUp.option.label}" is as close; taking "${safe.label}"`,
    );
  }

  if (menu.waitOffer && untried(wait))
    return decision(wait, 0.6, 'nothing fits, and the line says staying on it reaches someone');
  if (safe) return decision(actionFor(safe), 0.45, `nothing fits better than "${safe.label}"`);
  const said = spokenIntent(context.intent);
  if (menu.freeSpeech && untried(said))
    // Unsure by design: a language model, when there is one, words it better.
    return decision(said, 0.5, 'the menu asks, in a few words, why we call');
  const back = menu.options.find((o) => o.kind === 'back');
  if (back && menu.options.length > 1 && context.tried.length > 0 && untried(press(back)))
    return decision(
      { kind: 'go-back', digits: back.keys },
      0.4,
      'every way on from this menu was tried',
    );
  if (menu.options.length === 0 && !menu.input && !menu.freeSpeech)
    return decision(wait, untried(wait) ? 0.9 : 0.5, 'no question asked: listening on');
  if (untried(wait) && candidates.length > 0)
    return {
      ...decision(wait, 0.5, 'nothing fits the intent: hearing the menu again'),
      hearAgain: true,
    };
  if (best)
    return decision(
      actionFor(best.option),
      0.2,
      `heard twice and nothing fits; "${best.option.label}" comes closest`,
    );
  return decision(wait, 0.1, 'no option left to try');
}

/**
 * The ways on from a menu for an errand: its options but languages,
 * repeats, ways back and call backs, and staying on the line where the line
 * says that reaches someone.
 */
export function candidatesOf(menu: ParsedMenu): MenuOption[] {
  const options = menu.options.filter((o) =>
    ['choice', 'operator', 'other', 'more'].includes(o.kind),
  );
  if (menu.waitOffer)
    options.push({ keys: '', label: 'stay on the line', kind: 'stay', by: 'dtmf' });
  return options;
}

function isSafe(option: MenuOption): boolean {
  return (SAFE_KINDS as readonly string[]).includes(option.kind);
}

/** How menus name the languages they offer. */
const LANGUAGE_NAMES: Record<string, RegExp> = {
  English: /\benglish\b/,
  Spanish: /\b(spanish|español|espanol)\b/,
  French: /\b(french|français|francais)\b/,
  Chinese: /\b(chinese|mandarin|cantonese)\b/,
  Vietnamese: /\b(vietnamese|tiếng việt)\b/,
  Korean: /\b(korean|한국어)\b/,
  Tagalog: /\b(tagalog|filipino)\b/,
  Russian: /\b(russian|русский)\b/,
  Portuguese: /\b(portuguese|português)\b/,
};
/** Words that tell a Spanish sentence ("llamo por mi reembolso"): English has none of them. */
const SPANISH_WORDS =
  /\b(el|los|las|del|por|para|mi|mis|quiero|quiere|llamo|necesito|que|un|una|con|está|tengo|cuenta|factura|habla|hablo|y)\b/g;

/**
 * The language the call is to be made in: the one the errand says the
 * person speaks ("she only speaks Vietnamese"), or the one it is written
 * in; English otherwise.
 */
export function languageOf(intent: string): string {
  const text = intent.toLowerCase();
  for (const [name, pattern] of Object.entries(LANGUAGE_NAMES)) {
    if (name === 'English') continue;
    const named = new RegExp(
      `\\b(speaks?|speaking|in|only|prefers?|more comfortable in)\\b[^.]{0,20}${pattern.source}`,
    );
    if (named.test(text)) return name;
  }
  if ((text.match(SPANISH_WORDS) ?? []).length >= 2) return 'Spanish';
  return 'English';
}

/**
 * An errand that is no errand but a wish to hear the menu again: a request
 * to repeat ("can you say those again", "what were the choices") or a
 * confession of not having heard ("I missed most of that").
 */
export function asksToHearAgain(intent: string): boolean {
  const text = intent.toLowerCase().replace(/’/g, "'");
  const thing = String.raw`(that|those|these|them|it|the (choices|options)|everything)`;
  return (
    new RegExp(
      String.raw`\b(repeat|say|read|go over|hear|list)\b[^.?]{0,16}\b${thing}?\s*(all )?(again|once more)\b`,
    ).test(text) ||
    new RegExp(String.raw`\b(repeat) ${thing}\b`).test(text) ||
    new RegExp(
      String.raw`\bwhat (were|are) (those|the|these|they)\b[^.?]{0,12}\b(choices|options|again)\b`,
    ).test(text) ||
    /\b(missed|didn't catch|did not catch|wasn't listening|was not listening)\b[^.?]{0,15}\b(that|those|it|options|choices)\b/.test(
      text,
    )
  );
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
  // "the phone number on the account, or the account number": whichever the call has.
  const match = [input.what, ...(input.alternatives ?? [])]
    .map((what) => matchSecret(what, context.secretNames))
    .filter((m) => m !== undefined)
    .sort((a, b) => b.score - b.runnerUp - (a.score - a.runnerUp))[0];
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

/**
 * "If you're calling about a credit card, enter the card number. For an
 * auto loan, press 3": an entry said to be for some callers is one way on
 * among the options, and an option that fits the errand better is taken
 * even with the secret at hand.
 */
async function optionBeatsEntry(menu: ParsedMenu, context: MenuContext): Promise<boolean> {
  const condition = menu.input?.condition;
  const choices = menu.options.filter((o) => o.kind === 'choice');
  if (!condition || choices.length === 0) return false;
  const asEntry: MenuOption = { keys: '', label: condition, kind: 'choice', by: 'dtmf' };
  const [best] = await rankOptions(context.intent, [asEntry, ...choices]);
  return best !== undefined && best.option !== asEntry && best.fits;
}

function press(option: MenuOption): NavigatorAction {
  return { kind: 'press', digits: option.keys };
}

export function actionFor(option: MenuOption): NavigatorAction {
  if (option.kind === 'stay') return { kind: 'wait' };
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
