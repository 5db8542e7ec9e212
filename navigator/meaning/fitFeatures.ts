import { related, sameWord } from '../lexicon/wordForms.js';
import type { OptionKind } from '../menuModel.js';
import { DEPARTMENTS } from './departments.js';
import type { Meaning } from './meaning.js';

/**
 * What is measured of each option of one menu against an errand. How much
 * each counts is fitted to labelled decisions (bench/navigator/trainFit.ts),
 * starting from what it was reckoned to count for (PRIOR_WEIGHTS). The parts, and why they can matter:
 *
 * - Words in common, by how few options share them: a word every option
 *   says ("account" in an accounts menu) tells nothing. The same word in
 *   another form is `sameWord`, a WordNet sense in common `relatedWord`.
 * - A department both name, again by how few options name it, and more
 *   when the caller names it as what they want; an option of another
 *   department, for an errand that names one, `otherDepartment`.
 * - An option for an errand of its own (cancelling, buying, returning,
 *   changing, paying) is the wrong way for another errand: `otherErrand`.
 * - Something new against something the caller has ("for a new booking"
 *   when changing one), and the reverse.
 * - What the caller has already done is not what they call to do again
 *   ("to restart your modem now" when it was restarted), and an option for
 *   those who already did it fits; it does not fit one who says they want
 *   it done.
 * - How near the whole sentences are in meaning (a sentence encoder), above
 *   the menu's average, and by how much the nearest option leads the next:
 *   what no dictionary of words links.
 * - What kind of way on it is: "all other questions", a person, more
 *   options, staying on the line.
 */
export const FEATURES = [
  'sameWord',
  'relatedWord',
  'wordsInCommon',
  'department',
  'subject',
  'wishedDepartment',
  'handlesToo',
  'sameErrand',
  'otherDepartment',
  'otherErrandSameDepartment',
  'otherErrand',
  'newAgainstExisting',
  'doneAlready',
  'forThoseWhoDid',
  'notDoneYet',
  'similarity',
  'nearestBy',
  'allOther',
  'person',
  'moreOptions',
  'stayOnLine',
  'optionLength',
] as const;
export type Feature = (typeof FEATURES)[number];

/**
 * What each feature was reckoned to count for before any fitting, from how
 * phone menus are built: where the labelled decisions say little, fitting
 * stays near these (they are the prior the fit is drawn towards).
 */
export const PRIOR_WEIGHTS: Record<Feature, number> = {
  sameWord: 1,
  relatedWord: 0.5,
  wordsInCommon: 0,
  department: 0.9,
  subject: 0.5,
  wishedDepartment: 0.6,
  handlesToo: 0.5,
  sameErrand: 0.8,
  otherDepartment: -0.6,
  otherErrandSameDepartment: -0.45,
  otherErrand: -1.3,
  newAgainstExisting: -1.5,
  doneAlready: -1.5,
  forThoseWhoDid: 1.2,
  notDoneYet: -0.5,
  similarity: 1,
  nearestBy: 2,
  allOther: 0.3,
  person: 0.2,
  moreOptions: 0,
  stayOnLine: 0.3,
  optionLength: 0,
};

export interface OptionFeatures {
  values: Record<Feature, number>;
  /** The words and departments the errand and the option share, for the decision's reason. */
  because: string[];
}

export interface FitInput {
  meaning: Meaning;
  kind: OptionKind;
  /** How near the option's words are to the errand's, as a sentence encoder says (cosine). */
  similarity: number;
}

/** An option's words past this many add nothing to its length. */
const LONG_OPTION = 8;
/** What a department's word counts for as a word, when the department is counted too. */
const CUE_SHARE = 0.5;

export function featuresOf(intent: Meaning, options: FitInput[]): OptionFeatures[] {
  const wordMatches = intent.words.map((w) => options.map((o) => wordMatch(w, o.meaning)));
  const errandSharing = new Map(
    [...intent.errands].map((e) => [e, options.filter((o) => o.meaning.errands.has(e)).length]),
  );
  const departmentsShared = [...intent.departments].map((d) =>
    options.map((o) => o.meaning.departments.has(d)),
  );
  const sims = options.map((o) => o.similarity);
  const meanSimilarity = sims.reduce((s, x) => s + x, 0) / Math.max(sims.length, 1);
  const wanted = [...intent.departments].filter((_, di) => !departmentsShared[di]!.some(Boolean));
  const alsoBy = new Set(wanted.flatMap((d) => DEPARTMENTS[d]!.alsoHandledBy ?? []));
  const intentHandlers = handlers(intent);

  return options.map(({ meaning: option, kind, similarity }, oi) => {
    const values = Object.fromEntries(FEATURES.map((f) => [f, 0])) as Record<Feature, number>;
    const because: string[] = [];
    intent.words.forEach((w, wi) => {
      const match = wordMatches[wi]![oi]!;
      if (match === 'none' || intent.already.has(w.lemma)) return;
      const sharing = wordMatches[wi]!.filter((m) => m !== 'none').length;
      // A word that names a department both speak of is counted with the department.
      const share =
        (intent.cues.has(w.lemma) && sharesDepartment(intent, option) ? CUE_SHARE : 1) / sharing;
      if (match === 'same') values.sameWord += share;
      else values.relatedWord += share;
      values.wordsInCommon += 1;
      because.push(w.word);
    });
    [...intent.departments].forEach((d, di) => {
      if (!option.departments.has(d)) return;
      const sharing = departmentsShared[di]!.filter(Boolean).length;
      if (DEPARTMENTS[d]!.subject) values.subject += 1 / sharing;
      else values.department += 1 / sharing;
      if (intent.wished.has(d)) values.wishedDepartment += 1 / sharing;
      because.push(d);
    });
    // Departments that handle the caller's errand too, when no option names it.
    for (const d of alsoBy)
      if (option.departments.has(d) && !intent.departments.has(d)) {
        values.handlesToo += 1;
        because.push(`${d} handles it too`);
      }
    for (const e of intent.errands)
      if (option.errands.has(e)) {
        values.sameErrand += 1 / errandSharing.get(e)!;
        because.push(`to ${e}`);
      }
    const shared =
      intentHandlers.some((d) => option.departments.has(d)) ||
      [...alsoBy].some((d) => option.departments.has(d));
    if (!shared && handlers(option).length > 0 && intentHandlers.length > 0)
      values.otherDepartment = 1;
    if (option.errands.size > 0 && ![...option.errands].some((e) => intent.errands.has(e)))
      values[shared ? 'otherErrandSameDepartment' : 'otherErrand'] = 1;
    if (
      (option.asksNew && !option.hasExisting && intent.hasExisting && !intent.asksNew) ||
      (option.hasExisting && !option.asksNew && intent.asksNew && !intent.hasExisting)
    )
      values.newAgainstExisting = 1;
    for (const done of intent.already) {
      if (!option.words.some((w) => w.lemma === done)) continue;
      if (option.saysAlready) {
        values.forThoseWhoDid += 1;
        because.push(`already ${done}`);
      } else values.doneAlready += 1;
    }
    // Staying on the line has no words of its own to be near the errand's.
    // "To check on a refund for an item you've already sent back", for one who wants to send it back.
    if (option.saysAlready && intent.already.size === 0 && intent.wished.size > 0)
      values.notDoneYet = 1;
    values.similarity = kind === 'stay' ? 0 : similarity - meanSimilarity;
    const others = sims.filter((_, i) => i !== oi);
    values.nearestBy = others.length > 0 ? Math.max(0, similarity - Math.max(...others)) : 0;
    values.allOther = kind === 'other' ? 1 : 0;
    values.person = kind === 'operator' ? 1 : 0;
    values.moreOptions = kind === 'more' ? 1 : 0;
    values.stayOnLine = kind === 'stay' ? 1 : 0;
    values.optionLength = Math.min(option.words.length, LONG_OPTION) / LONG_OPTION;
    return { values, because };
  });
}

/** The departments a meaning names that handle errands (not subjects, not "a person"). */
function handlers(m: Meaning): string[] {
  return [...m.departments].filter((d) => !DEPARTMENTS[d]!.subject && !DEPARTMENTS[d]!.anyErrand);
}

function sharesDepartment(a: Meaning, b: Meaning): boolean {
  for (const d of a.departments) if (b.departments.has(d)) return true;
  return false;
}

/** The same word in any form, a common sense in WordNet, or neither. */
function wordMatch(
  w: { word: string; lemma: string },
  option: Meaning,
): 'same' | 'related' | 'none' {
  let best: 'related' | 'none' = 'none';
  for (const o of option.words) {
    if (o.lemma === w.lemma || sameWord(o.word, w.word)) return 'same';
    if (best === 'none' && related(o.word, w.word)) best = 'related';
  }
  return best;
}
