import lemmatize from 'wink-lemmatizer';
import { isLemma, sensesOf, synsetAt, type PartOfSpeech } from './wordnet.js';

/**
 * What a word is, as far as matching needs: its dictionary forms, and the
 * senses that carry it. Stems are not used: Porter makes "receivables"
 * and "received" one stem, and "accounting" one with "account"; a lemma
 * keeps them apart, and WordNet's synsets say where two words do mean one
 * thing ("luggage" and "baggage", "invoice" and "bill").
 */

/** A word's senses considered: a word's common meanings come first in WordNet, rare ones after. */
const SENSES_PER_POS = 3;

const formsCache = new Map<string, string[]>();
/** For a base form found by one lemmatizer, the part of speech it is that form of. */
const formPos = new Map<string, Map<string, PartOfSpeech[]>>();
const sensesCache = new Map<string, Set<string>>();

/**
 * The dictionary forms of a word as it stands in a sentence: itself, and
 * its base form as a noun, verb or adjective where WordNet knows that
 * form ("restarted" → "restart", "bags" → "bag", "billing" → "billing" and
 * "bill"). The word itself comes first.
 */
export function baseForms(word: string): string[] {
  const known = formsCache.get(word);
  if (known) return known;
  const forms = [word];
  const pos = new Map<string, PartOfSpeech[]>();
  const add = (form: string, p: PartOfSpeech) => {
    if (form === word || !isLemma(form, p)) return;
    if (!forms.includes(form)) forms.push(form);
    pos.set(form, [...(pos.get(form) ?? []), p]);
  };
  add(lemmatize.noun(word), 'n');
  add(lemmatize.verb(word), 'v');
  add(lemmatize.adjective(word), 'a');
  formsCache.set(word, forms);
  formPos.set(word, pos);
  return forms;
}

/** The base form a word is best known by: the first of its forms WordNet has as a lemma, else itself. */
export function lemmaOf(word: string): string {
  const forms = baseForms(word);
  const known = forms.find((f) => ALL_PARTS.some((p) => isLemma(f, p)));
  // A plural or a past tense is known through its base form only.
  return known === word && forms.length > 1 && !isRegularNoun(word) ? forms[1]! : (known ?? word);
}

/** An "-ing" or "-s" form that WordNet lists as a noun of its own ("billing", "savings"). */
function isRegularNoun(word: string): boolean {
  return isLemma(word, 'n') && !/(s|ed)$/.test(word);
}

/** Ids of the common senses of a word's forms ("n:06528946"). */
export function sensesOfWord(word: string): Set<string> {
  const known = sensesCache.get(word);
  if (known) return known;
  const ids = new Set<string>();
  for (const [form, parts] of formsAndParts(word))
    for (const pos of parts)
      for (const sense of sensesOf(form, pos).slice(0, SENSES_PER_POS))
        ids.add(`${pos}:${sense.offset}`);
  sensesCache.set(word, ids);
  return ids;
}

/**
 * A word's forms with the parts of speech each is taken in: the word as
 * said in any, a base form only in the part of speech it is the base of
 * ("stolen" is the verb "steal", never the noun, a bargain).
 */
function formsAndParts(word: string): Array<[string, readonly PartOfSpeech[]]> {
  const forms = baseForms(word);
  const pos = formPos.get(word)!;
  return forms.map((f) => [f, f === word ? ALL_PARTS : pos.get(f)!]);
}
const ALL_PARTS = ['n', 'v', 'a', 'r'] as const;

const relatedCache = new Map<string, Set<string>>();

/**
 * Words one step from a word's common senses: the other words of those
 * synsets, and their derivationally related forms ("repair" → "repairman",
 * "pay" → "payment"). Used one way only with another word's own senses (see
 * `related`), so a rare sense of one word cannot tie it to another.
 */
function neighbours(word: string): Set<string> {
  const known = relatedCache.get(word);
  if (known) return known;
  const out = new Set<string>();
  for (const [form, parts] of formsAndParts(word)) {
    for (const pos of parts) {
      for (const sense of sensesOf(form, pos).slice(0, SENSES_PER_POS)) {
        const synset = synsetAt(pos, sense.offset);
        for (const w of synset.words) out.add(w);
        for (const p of synset.pointers) {
          if (p.symbol !== '+' && p.symbol !== '&') continue;
          const source = p.sourceWord === 0 ? undefined : synset.words[p.sourceWord - 1];
          if (source !== undefined && source !== form) continue;
          const target = synsetAt(p.pos, p.offset);
          if (p.targetWord === 0) target.words.forEach((w) => out.add(w));
          else out.add(target.words[p.targetWord - 1] ?? '');
        }
      }
    }
  }
  out.delete('');
  relatedCache.set(word, out);
  return out;
}

/**
 * Whether two words mean one thing in their common senses: a form in
 * common, a synset in common, or one a derivation of the other. Not
 * "bill" and "measure" (a bill before parliament is bill's rarer sense for
 * a caller, and not one of measure's common ones).
 */
export function related(a: string, b: string): boolean {
  if (a === b) return true;
  const fa = baseForms(a);
  const fb = baseForms(b);
  if (fa.some((f) => fb.includes(f))) return true;
  const sa = sensesOfWord(a);
  for (const s of sensesOfWord(b)) if (sa.has(s)) return true;
  const na = neighbours(a);
  return fb.some((f) => na.has(f)) || fa.some((f) => neighbours(b).has(f));
}

/** Whether two words are the same word in another form: "bags" and "bag", "restarted" and "restart". */
export function sameWord(a: string, b: string): boolean {
  return a === b || lemmaOf(a) === lemmaOf(b);
}
