import type { Feature } from './fitFeatures.js';
import { FIT_WEIGHTS } from './fitWeights.js';

/** How well an option fits: its measured features, each by its learned weight. */
export function scoreOf(values: Record<Feature, number>, weights = FIT_WEIGHTS): number {
  let score = 0;
  for (const [feature, value] of Object.entries(values) as Array<[Feature, number]>)
    score += value * weights[feature];
  return score;
}

/**
 * The chance that each option is the right one, as the weights were fitted
 * to say it (a softmax over one menu's options): a calibrated confidence,
 * not a score on a scale of its own.
 */
export function chances(scores: number[]): number[] {
  if (scores.length === 0) return [];
  const top = Math.max(...scores);
  const exp = scores.map((s) => Math.exp(s - top));
  const total = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / total);
}
