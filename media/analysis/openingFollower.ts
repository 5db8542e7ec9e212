import { distance } from 'fastest-levenshtein';
import { wordsOf } from '../../flows/promptMatch.js';

/** Words of a recording's opening that are kept to recognise it by. */
export const OPENING_WORDS = 30;
/** Words in a row that differ from the opening: no recogniser mishears so many together; the speech went elsewhere. */
const DIVERGING_RUN = 3;

/** Word edits (a word misheard, dropped or added) allowed in `k` words heard while still following an opening. */
function allowedEdits(k: number): number {
  return k < 3 ? 0 : Math.ceil((k - 2) / 3);
}

/** Whether two words are one, as a recogniser may give it: the same, or a longer word with one letter lost, added or changed. */
export function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  return Math.min(a.length, b.length) >= 4 && distance(a, b) <= 1;
}

/** For each i, the fewest word edits that turn heard[0..i) into some prefix of `opening`. */
function prefixEditDistances(heard: readonly string[], opening: readonly string[]): number[] {
  // Classic edit distance, row by row over the heard words; each row's best cell is that many words' distance.
  let previous = Array.from({ length: opening.length + 1 }, (_, j) => j);
  const best = [0];
  for (let i = 1; i <= heard.length; i++) {
    const row = [i];
    for (let j = 1; j <= opening.length; j++) {
      const substitution = previous[j - 1]! + (sameWord(heard[i - 1]!, opening[j - 1]!) ? 0 : 1);
      row.push(Math.min(substitution, previous[j]! + 1, row[j - 1]! + 1));
    }
    best.push(Math.min(...row));
    previous = row;
  }
  return best;
}

/**
 * The opening words of the recordings a line plays, as a recogniser hears
 * them: words heard are a recording's while they keep following one of
 * them, with a few words misheard, and stop being one as soon as they go
 * elsewhere ("Hi there, thanks so much for waiting" against "Hi there,
 * thanks for waiting, this is Morgan").
 */
export class KnownOpenings {
  private readonly openings: string[][] = [];

  constructor(texts: readonly string[] = []) {
    for (const text of texts) this.add(text);
  }

  get size(): number {
    return this.openings.length;
  }

  add(text: string): void {
    const words = wordsOf(text).slice(0, OPENING_WORDS);
    if (words.length > 0) this.openings.push(words);
  }

  /**
   * Whether the words so far follow a known opening. Until `minWords` are
   * in, a short start is not yet enough to say so (one or two words match
   * too many things); past the kept opening, only its words are compared.
   */
  follows(words: readonly string[], minWords = 1): boolean {
    if (words.length < minWords || words.length === 0) return false;
    const heard = words.slice(0, OPENING_WORDS);
    return this.openings.some((opening) => {
      const k = Math.min(heard.length, opening.length + allowedEdits(opening.length));
      const distances = prefixEditDistances(heard.slice(0, k), opening);
      let diverged = false;
      for (let i = DIVERGING_RUN; i <= k; i++)
        if (distances[i]! - distances[i - DIVERGING_RUN]! >= DIVERGING_RUN) diverged = true;
      return distances[k]! <= allowedEdits(k) && !diverged;
    });
  }

  /** How many of the words, from the first, follow a known opening: all of them while they still do. */
  followedWords(words: readonly string[]): number {
    let followed = 0;
    while (followed < words.length && this.follows(words.slice(0, followed + 1))) followed += 1;
    return followed;
  }
}
