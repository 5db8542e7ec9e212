import type { MenuOption } from './menuModel.js';
import { meaningOf } from './meaning/meaning.js';
import { featuresOf } from './meaning/fitFeatures.js';

/**
 * The errand is about what the question names when they share a word or a
 * department, or two words of one sense; an errand of the question's own
 * kind (paying, cancelling…) counts for nearly as much.
 */
const YES_EVIDENCE = 0.9;
const QUESTION_START =
  /\b(are you|is this|is that|do you|did you|would you|have you|is your call|are we)\b(?!.*\b(are you|is this|is that|do you|did you|would you|have you)\b)/;

export interface YesNo {
  answer: MenuOption;
  confidence: number;
  reason: string;
}

/**
 * Answers a menu that asks a yes-or-no question ("are you calling about your
 * order of a stand mixer? say yes or no"): yes when the errand is about what
 * the question names (and does not say it is not), no otherwise; "are you a
 * current customer" is yes when the errand speaks of something the caller has.
 */
export function answerYesNo(
  transcript: string,
  intent: string,
  options: MenuOption[],
): YesNo | undefined {
  const yes = options.find((o) => /^(yes|yeah|correct)\b/.test(o.label));
  const no = options.find((o) => /^(no|not)\b/.test(o.label));
  if (!yes || !no) return undefined;
  const text = transcript.toLowerCase();
  const at = text.search(QUESTION_START);
  if (at === -1) return undefined;
  const question = text.slice(at).split(/\b(say|press|please|if yes)\b/)[0]!;
  const errand = meaningOf(intent);
  if (
    /\b(current|existing)\b.*\b(customer|member|policyholder|cardholder|patient|client)\b/.test(
      question,
    )
  ) {
    const has = errand.hasExisting && !errand.asksNew;
    return {
      answer: has ? yes : no,
      confidence: 0.6,
      reason: `asked "${question.trim()}": the errand ${has ? 'is about something the caller has' : 'asks for something new'}`,
    };
  }
  const asked = meaningOf(question);
  const fit = featuresOf(errand, [{ meaning: asked, kind: 'choice', similarity: 0 }])[0]!;
  const v = fit.values;
  const evidence =
    v.sameWord + v.department + 0.5 * (v.relatedWord + v.subject) + 0.8 * v.sameErrand;
  // "The blender, not the mixer": what the caller sets aside, the question names.
  const denied = asked.words.some((w) => errand.unwanted.has(w.lemma));
  const yesItIs = evidence >= YES_EVIDENCE && !denied;
  return {
    answer: yesItIs ? yes : no,
    confidence: yesItIs ? 0.7 : 0.6,
    reason: `asked "${question.trim()}": ${yesItIs ? `the errand is about it (${fit.because.join(', ')})` : 'the errand is about something else'}`,
  };
}
