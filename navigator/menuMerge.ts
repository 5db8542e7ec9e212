import { baseForms } from './lexicon/wordForms.js';
import { isLemma } from './lexicon/wordnet.js';
import { isFunctionWord } from './meaning/meaning.js';
import type { MenuOption, ParsedMenu } from './menuModel.js';
import { parseMenu } from './menuParser.js';
import { keyOf, tokenize } from './menuText.js';

/** Below this share of words a dictionary knows, a label was misheard. */
const CLEAR_LABEL = 0.75;
/** Words of a menu that no dictionary lists but menus say. */
const MENU_WORDS = new Set([
  'wifi',
  'wi-fi',
  'atm',
  'tv',
  'dvr',
  'rx',
  'fafsa',
  'español',
  'espanol',
  'oprima',
  'para',
]);

/**
 * The share of a label's words that were heard right: a word no dictionary
 * lists but one letter away from one it does ("biling", "pharmacit") was
 * misheard; a name ("Bonvoy", "Merrill") is just a name.
 */
function clarityOf(label: string): number {
  const words = tokenize(label).filter((t) => t.kind === 'word');
  if (words.length === 0) return 0;
  const misheard = words.filter((t) => looksMisheard(t.text));
  return 1 - misheard.length / words.length;
}

function isWord(word: string): boolean {
  return (
    MENU_WORDS.has(word) ||
    isFunctionWord(word) ||
    /^\d+$/.test(word) ||
    baseForms(word).some((f) => (['n', 'v', 'a', 'r'] as const).some((p) => isLemma(f, p)))
  );
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const misheardCache = new Map<string, boolean>();
function looksMisheard(word: string): boolean {
  const known = misheardCache.get(word);
  if (known !== undefined) return known;
  let misheard = false;
  // Short words are a letter from many others: only longer ones are judged.
  if (word.length >= 5 && !isWord(word)) {
    search: for (let at = 0; at <= word.length; at++) {
      for (const letter of LETTERS) {
        // A recogniser that loses a sound drops a letter; one that hears another word writes a word.
        if (isWord(word.slice(0, at) + letter + word.slice(at))) {
          misheard = true;
          break search;
        }
      }
    }
  }
  misheardCache.set(word, misheard);
  return misheard;
}

/**
 * Whether every hearing of a menu together still leaves something out: a
 * hearing asked for more keys than the options read from all of them, or
 * an option's words are still unclear.
 */
export function stillPoor(hearings: string[], menu: ParsedMenu): boolean {
  const asked = Math.max(...hearings.map((h) => keysAskedIn(h)));
  const read = menu.options.filter((o) => o.by === 'dtmf').length;
  return read < asked || unclearOptions(menu) > 0;
}

/** Keys asked for ("press 1", and "press" with its key lost), not "dial it at any time"; a key named twice counts once. */
function keysAskedIn(transcript: string): number {
  const verbs = keyVerbs(transcript);
  const keys = new Set(verbs.filter((v) => v.kind === 'key').map((v) => v.key));
  return keys.size + verbs.filter((v) => v.kind === 'lost').length;
}

function unclearOptions(menu: ParsedMenu): number {
  return menu.options.filter(
    (o) => o.kind === 'choice' && (o.label === '' || clarityOf(o.label) < CLEAR_LABEL),
  ).length;
}

const KEY_VERB = /^(press|pres|dress|dial|select|oprima|marque)$/;

/** Each key verb of a transcript: with its key, with its key lost, or neither ("dial it"). */
type KeyVerb = { kind: 'key'; key: string } | { kind: 'lost' } | { kind: 'other' };

function keyVerbs(transcript: string): KeyVerb[] {
  const tokens = tokenize(transcript);
  const found: KeyVerb[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'word' || !KEY_VERB.test(t.text)) return;
    let j = i + 1;
    while (tokens[j]?.kind === 'word' && /^(the|el|la|number)$/.test(tokens[j]!.text)) j++;
    const next = tokens[j];
    const key = keyOf(next);
    if (key !== undefined) found.push({ kind: 'key', key });
    // Lost when the sentence, or the next option, follows at once ("press the. To speak with…").
    else if (!next || next.kind === 'mark' || /^(for|to|if|para)$/.test(next.text))
      found.push({ kind: 'lost' });
    else found.push({ kind: 'other' });
  });
  return found;
}

/**
 * One menu read from several hearings of it: every option heard in any of
 * them, each with the clearest wording heard for it, and what any hearing
 * asks (an entry, free speech, staying on the line).
 */
export function mergeHearings(hearings: string[]): ParsedMenu {
  const parsed = hearings.map(parseMenu);
  const options: MenuOption[] = [];
  for (const menu of parsed) {
    for (const option of menu.options) {
      const same = options.findIndex((o) => o.by === option.by && o.keys === option.keys);
      if (same === -1) options.push(option);
      else if (clearer(option.label, options[same]!.label)) options[same] = option;
    }
  }
  return {
    options,
    freeSpeech: parsed.some((m) => m.freeSpeech),
    // The clearest request to key something in, the latest on a tie.
    input: parsed
      .map((m) => m.input)
      .filter((i) => i !== undefined)
      .reduce<ParsedMenu['input']>(
        (best, i) => (!best || clarityOf(i.what) >= clarityOf(best.what) ? i : best),
        undefined,
      ),
    waitOffer: parsed.some((m) => m.waitOffer),
  };
}

function clearer(a: string, b: string): boolean {
  const ca = clarityOf(a);
  const cb = clarityOf(b);
  return ca > cb || (ca === cb && a.split(' ').length > b.split(' ').length);
}
