import { wordsOf } from '../flows/promptMatch.js';

/** Menus this alike are one menu heard twice (a recogniser hears a prompt a little differently each time). */
export const SAME_MENU = 0.6;

/** Share of words two transcripts have in common (Jaccard over their word sets), 0 to 1. */
export function menuSimilarity(a: string, b: string): number {
  const left = new Set(wordsOf(a));
  const right = new Set(wordsOf(b));
  if (left.size === 0 && right.size === 0) return 1;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared += 1;
  return shared / (left.size + right.size - shared);
}
