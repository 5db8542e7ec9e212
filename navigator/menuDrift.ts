import { wordsOf } from '../flows/promptMatch.js';
import { menuSimilarity } from './menuSimilarity.js';
import { parseMenu } from './menuParser.js';

/** Option labels less alike than this name different things. */
const SAME_LABEL = 0.5;
/** Share of the known menu's words that must be heard when there is no option to compare. */
const MIN_COVERAGE = 0.5;

/**
 * Whether the menu heard is no longer the one a flow expects: the key the
 * flow presses now stands for something else (or nothing), the entry it
 * keys is no longer asked for, or, failing those, most of the known words
 * are gone. A greeting before the menu, or a word misheard, is no drift.
 */
export function menuDrifted(expected: string, heard: string, dtmf?: string): boolean {
  if (wordsOf(heard).length === 0) return true;
  const known = parseMenu(expected);
  const now = parseMenu(heard);
  const keys = dtmf && /^[0-9*#]+$/.test(dtmf) ? dtmf : undefined;
  const option = keys ? known.options.find((o) => o.by === 'dtmf' && o.keys === keys) : undefined;
  if (option) {
    const same = now.options.find((o) => o.by === 'dtmf' && o.keys === keys);
    return !same || menuSimilarity(same.label, option.label) < SAME_LABEL;
  }
  if (known.input && dtmf?.includes('{secret:')) return now.input === undefined;
  return coverage(expected, heard) < MIN_COVERAGE;
}

/** Share of the expected words that were heard. */
function coverage(expected: string, heard: string): number {
  const want = new Set(wordsOf(expected));
  if (want.size === 0) return 1;
  const got = new Set(wordsOf(heard));
  let found = 0;
  for (const word of want) if (got.has(word)) found += 1;
  return found / want.size;
}
