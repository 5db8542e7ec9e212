import { stemmer } from 'stemmer';
import { wordsOf } from '../flows/promptMatch.js';

/** Words that carry no meaning for choosing an option: the glue of menus and requests. */
const STOPWORDS = new Set(
  (
    'a an the and or but if then to for of on in at by with from as about into over ' +
    'i me my mine we our us you your yours it its this that these those there here ' +
    'is are was were be been am do does did have has had can could would should will shall may might must ' +
    'press please say enter dial option options menu want need like would just also so some any all ' +
    'call calling question questions information info get make let know thank thanks'
  ).split(' '),
);

/** Porter stems of a text's words, in order, every word kept (phrases like "no service" need their small words). */
export function stemSequence(text: string): string[] {
  return wordsOf(text).map((w) => stemmer(w.replace(/'s$/, '').replace(/'/g, '')));
}

/** Stems of the words that carry meaning. */
export function contentStems(text: string): Set<string> {
  const stems = new Set<string>();
  for (const word of wordsOf(text)) {
    const clean = word.replace(/'s$/, '').replace(/'/g, '');
    if (clean.length < 2 || STOPWORDS.has(clean)) continue;
    stems.add(stemmer(clean));
  }
  return stems;
}

/** True when `phrase` (a stem sequence) occurs in `sequence`, word after word. */
export function containsRun(sequence: string[], phrase: string[]): boolean {
  if (phrase.length === 0 || phrase.length > sequence.length) return false;
  outer: for (let i = 0; i + phrase.length <= sequence.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (sequence[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}
