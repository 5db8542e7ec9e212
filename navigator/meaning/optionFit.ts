import { related, sameWord } from '../lexicon/wordForms.js';
import { DEPARTMENTS } from './departments.js';
import type { Meaning } from './meaning.js';

/**
 * How well each option of one menu fits an errand. The parts, and why:
 *
 * - Words in common count by how few options share them: a word every
 *   option of the menu says ("account" in an accounts menu) tells nothing.
 *   The same word in another form counts whole, a WordNet sense in common
 *   half.
 * - A department the errand and the option both name counts, again by how
 *   few options name it; an option of another department, for an errand
 *   that names one, counts against.
 * - An option for an errand of its own (cancelling, buying, returning,
 *   changing, paying) is the wrong way for another errand.
 * - Something new against something the caller has ("for a new booking"
 *   when changing one), and the reverse, counts against.
 * - What the caller has already done is not what they call to do again
 *   ("to restart your modem now" when it was restarted), and an option for
 *   those who already did it fits.
 */
export const WEIGHTS = {
  sameWord: 1,
  relatedWord: 0.5,
  department: 0.9,
  /** A department that handles the errand where the menu has no option of its own for it. */
  handlesToo: 0.5,
  /** The errand the caller wants done (cancel, return, change, pay…) is the option's. */
  sameErrand: 0.8,
  subject: 0.5,
  otherDepartment: 0.6,
  otherErrand: 1.3,
  newAgainstExisting: 1.5,
  doneAlready: 1.5,
  forThoseWhoDid: 1.2,
};

export interface Fit {
  score: number;
  /** The words and departments that made it, for the decision's reason. */
  because: string[];
}

export function fitsOf(intent: Meaning, options: Meaning[]): Fit[] {
  const wordMatches = intent.words.map((w) => options.map((o) => wordMatch(w, o)));
  const departmentsShared = [...intent.departments].map((d) =>
    options.map((o) => o.departments.has(d)),
  );
  return options.map((option, oi) => {
    let score = 0;
    const because: string[] = [];
    intent.words.forEach((w, wi) => {
      const match = wordMatches[wi]![oi]!;
      if (match === 0 || intent.already.has(w.lemma)) return;
      const sharing = wordMatches[wi]!.filter((m) => m > 0).length;
      // A word that names a department both speak of is counted with the department.
      const cue = intent.cues.has(w.lemma) && sharesDepartment(intent, option);
      score += (cue ? match * CUE_SHARE : match) / sharing;
      because.push(w.word);
    });
    [...intent.departments].forEach((d, di) => {
      if (!option.departments.has(d)) return;
      const sharing = departmentsShared[di]!.filter(Boolean).length;
      score += (DEPARTMENTS[d]!.subject ? WEIGHTS.subject : WEIGHTS.department) / sharing;
      because.push(d);
    });
    // Departments that handle the caller's errand too, when no option names it.
    const wanted = [...intent.departments].filter((d, di) => !departmentsShared[di]!.some(Boolean));
    const alsoBy = new Set(wanted.flatMap((d) => DEPARTMENTS[d]!.alsoHandledBy ?? []));
    for (const d of alsoBy)
      if (option.departments.has(d) && !intent.departments.has(d)) {
        score += WEIGHTS.handlesToo;
        because.push(`${d} handles it too`);
      }
    for (const e of intent.errands)
      if (option.errands.has(e)) {
        score += WEIGHTS.sameErrand;
        because.push(`to ${e}`);
      }
    const handles = (m: Meaning) =>
      [...m.departments].filter((d) => !DEPARTMENTS[d]!.subject && !DEPARTMENTS[d]!.anyErrand);
    const intentHandlers = handles(intent);
    const optionHandlers = handles(option);
    const shared =
      intentHandlers.some((d) => option.departments.has(d)) ||
      [...alsoBy].some((d) => option.departments.has(d));
    if (!shared && optionHandlers.length > 0 && intentHandlers.length > 0)
      score -= WEIGHTS.otherDepartment;
    if (option.errands.size > 0 && ![...option.errands].some((e) => intent.errands.has(e)))
      score -= shared ? WEIGHTS.otherErrand / 3 : WEIGHTS.otherErrand;
    if (option.asksNew && !option.hasExisting && intent.hasExisting && !intent.asksNew)
      score -= WEIGHTS.newAgainstExisting;
    if (option.hasExisting && !option.asksNew && intent.asksNew && !intent.hasExisting)
      score -= WEIGHTS.newAgainstExisting;
    for (const done of intent.already) {
      if (!option.words.some((w) => w.lemma === done)) continue;
      if (option.saysAlready) {
        score += WEIGHTS.forThoseWhoDid;
        because.push(`already ${done}`);
      } else score -= WEIGHTS.doneAlready;
    }
    return { score, because };
  });
}

/** What a department's word counts for as a word, when the department is counted too. */
const CUE_SHARE = 0.5;

function sharesDepartment(a: Meaning, b: Meaning): boolean {
  for (const d of a.departments) if (b.departments.has(d)) return true;
  return false;
}

/** 1 for the same word in any form, a half for a common sense in WordNet, else 0. */
function wordMatch(w: { word: string; lemma: string }, option: Meaning): number {
  let best = 0;
  for (const o of option.words) {
    if (o.lemma === w.lemma || sameWord(o.word, w.word)) return WEIGHTS.sameWord;
    if (best === 0 && related(o.word, w.word)) best = WEIGHTS.relatedWord;
  }
  return best;
}
