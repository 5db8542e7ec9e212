import { similarities } from './lexicon/sentenceEncoder.js';
import type { MenuOption } from './menuModel.js';
import { featuresOf, type Feature, type OptionFeatures } from './meaning/fitFeatures.js';
import { chances, scoreOf } from './meaning/fitModel.js';
import { meaningOf } from './meaning/meaning.js';

export interface RankedOption {
  option: MenuOption;
  score: number;
  /** The fitted chance that this is the right option of those offered. */
  chance: number;
  /** Something in the errand speaks for it: a word, a department, an errand of its own. */
  fits: boolean;
  because: string[];
}

/** What counts as the errand speaking for an option; nearness of sentences alone does not. */
const EVIDENCE: Feature[] = [
  'sameWord',
  'relatedWord',
  'department',
  'subject',
  'handlesToo',
  'sameErrand',
  'forThoseWhoDid',
];

/** The options best first, by how well they fit the errand; keys before phrases on a tie. */
export async function rankOptions(intent: string, options: MenuOption[]): Promise<RankedOption[]> {
  const measured = await measureOptions(intent, options);
  const scores = measured.map((m) => scoreOf(m.values));
  const chance = chances(scores);
  return options
    .map((option, i) => ({
      option,
      score: scores[i]!,
      chance: chance[i]!,
      fits: EVIDENCE.some((f) => measured[i]!.values[f] > 0),
      because: measured[i]!.because,
    }))
    .sort((a, b) => b.score - a.score || preferKeys(a.option, b.option));
}

/** What is measured of each option against the errand, as weights are fitted to and applied. */
export async function measureOptions(
  intent: string,
  options: MenuOption[],
): Promise<OptionFeatures[]> {
  const near = await similarities(
    intent,
    options.map((o) => o.label),
  );
  return featuresOf(
    meaningOf(intent),
    options.map((o, i) => ({ meaning: meaningOf(o.label), kind: o.kind, similarity: near[i]! })),
  );
}

/** On equal scores, a key beats a phrase: keys are never misheard. */
function preferKeys(a: MenuOption, b: MenuOption): number {
  return (a.by === 'dtmf' ? 0 : 1) - (b.by === 'dtmf' ? 0 : 1);
}

/** Never quite certain: a menu's words are only ever heard, and heard through a recogniser. */
const MOST_SURE = 0.97;

/**
 * How sure a choice is: its fitted chance among the options, and for a
 * menu of one option (where it would always be 1), the logistic of its
 * score.
 */
export function confidenceOf(ranked: RankedOption[]): number {
  const best = ranked[0];
  if (!best) return 0;
  const chance = ranked.length === 1 ? 1 / (1 + Math.exp(-best.score)) : best.chance;
  return Math.min(MOST_SURE, chance);
}
