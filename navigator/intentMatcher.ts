import { CONCEPTS } from './concepts.js';
import { containsRun, contentStems, stemSequence } from './wordStems.js';

/** A concept shared by intent and option counts for less than a word they share. */
const CONCEPT_WEIGHT = 0.6;

const CONCEPT_STEMS: Array<[string, string[][]]> = Object.entries(CONCEPTS).map(
  ([name, phrases]) => [name, phrases.map((p) => stemSequence(p))],
);

/** The concepts a text speaks of. */
export function conceptsOf(text: string): Set<string> {
  const sequence = stemSequence(text);
  const found = new Set<string>();
  for (const [name, phrases] of CONCEPT_STEMS) {
    if (phrases.some((p) => containsRun(sequence, p))) found.add(name);
  }
  return found;
}

/**
 * Concepts that say what is to be done, not what about: an option that
 * cancels, returns, sells or gives opening hours is for another errand when
 * the intent says none of that ("to cancel an appointment" is the wrong way
 * to book one).
 */
const ERRANDS = new Set(['cancel', 'returns', 'sales', 'newService', 'hours']);
const OTHER_ERRAND_PENALTY = 1.5;

/**
 * How an intent and an option's label overlap: a word stem in common
 * counts 1, a concept 0.6, an errand the intent does not name takes 1.5 off.
 */
export function matchScore(intent: string, label: string): number {
  const intentStems = contentStems(intent);
  let score = 0;
  for (const stem of contentStems(label)) if (intentStems.has(stem)) score += 1;
  const intentConcepts = conceptsOf(intent);
  for (const concept of conceptsOf(label)) {
    if (intentConcepts.has(concept)) score += CONCEPT_WEIGHT;
    else if (ERRANDS.has(concept)) score -= OTHER_ERRAND_PENALTY;
  }
  return score;
}

/**
 * How sure a choice is, from its score and the runner-up's: a clear
 * winner with words in common is near-certain; a concept alone, or a near
 * tie, is not (below the navigator's threshold, a language model may be
 * asked).
 */
export function confidenceOf(best: number, runnerUp: number): number {
  if (best <= 0) return 0;
  const margin = best - runnerUp;
  const raw = 0.35 + 0.3 * Math.min(best, 2) + 0.2 * Math.min(margin, 1.5);
  return Math.min(0.97, margin < 0.1 ? raw * 0.7 : raw);
}
