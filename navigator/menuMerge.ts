import { baseForms } from './lexicon/wordForms.js';
import { isLemma } from './lexicon/wordnet.js';
import { isFunctionWord } from './meaning/meaning.js';
import type { MenuOption, ParsedMenu } from './menuModel.js';
import { parseMenu } from './menuParser.js';
import { tokenize } from './menuText.js';

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

/** The share of a label's words that are words: a recogniser's slips ("biling", "dress") are not. */
export function clarityOf(label: string): number {
  const words = tokenize(label).filter((t) => t.kind === 'word');
  if (words.length === 0) return 0;
  const known = words.filter(
    (t) =>
      MENU_WORDS.has(t.text) ||
      isFunctionWord(t.text) ||
      /^\d+$/.test(t.text) ||
      baseForms(t.text).some((f) => (['n', 'v', 'a', 'r'] as const).some((p) => isLemma(f, p))) ||
      t.text.length <= 3,
  );
  return known.length / words.length;
}

/**
 * Whether a menu was heard too poorly to choose on: a key asked for with
 * no key after it ("press the."), or a choice whose words are lost or
 * misheard. Such a menu is heard again (menus repeat) before choosing.
 */
export function heardPoorly(transcript: string, menu: ParsedMenu): boolean {
  const tokens = tokenize(transcript);
  let lostKeys = 0;
  tokens.forEach((t, i) => {
    if (t.kind !== 'word' || !/^(press|dial|select|oprima|marque)$/.test(t.text)) return;
    let j = i + 1;
    while (tokens[j]?.kind === 'word' && /^(the|el|la|number)$/.test(tokens[j]!.text)) j++;
    const next = tokens[j];
    // Lost when the sentence, or the next option, follows at once ("press the. To speak with…").
    if (!next || next.kind === 'mark' || /^(for|to|if|para)$/.test(next.text)) lostKeys++;
  });
  const unclear = menu.options.filter(
    (o) => o.kind === 'choice' && (o.label === '' || clarityOf(o.label) < CLEAR_LABEL),
  ).length;
  return lostKeys + unclear > 0;
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
