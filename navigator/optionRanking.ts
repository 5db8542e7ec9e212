import type { MenuOption } from './menuModel.js';
import { meaningOf } from './meaning/meaning.js';
import { fitsOf } from './meaning/optionFit.js';

/** A fit below this is none: fallbacks come first. */
export const MIN_FIT = 0.5;

export interface RankedOption {
  option: MenuOption;
  score: number;
  fits: boolean;
  because: string[];
}

/** The options best first, by how well they fit the errand; keys before phrases on a tie. */
export function rankOptions(intent: string, options: MenuOption[]): RankedOption[] {
  const fits = fitsOf(
    meaningOf(intent),
    options.map((o) => meaningOf(o.label)),
  );
  return options
    .map((option, i) => ({
      option,
      score: fits[i]!.score,
      fits: fits[i]!.score >= MIN_FIT,
      because: fits[i]!.because,
    }))
    .sort((a, b) => b.score - a.score || preferKeys(a.option, b.option));
}

/** On equal scores, a key beats a phrase: keys are never misheard. */
function preferKeys(a: MenuOption, b: MenuOption): number {
  return (a.by === 'dtmf' ? 0 : 1) - (b.by === 'dtmf' ? 0 : 1);
}

/**
 * How sure a choice is, from its fit and the runner-up's: a clear winner
 * well above no fit is near-certain; a near tie, or a fit just above none,
 * is not.
 */
export function confidenceOf(best: number, runnerUp: number | undefined): number {
  const margin = best - Math.max(runnerUp ?? 0, 0);
  const z = 2 * (best - MIN_FIT) + 3 * margin - 0.5;
  return Math.min(0.97, 1 / (1 + Math.exp(-z)));
}
