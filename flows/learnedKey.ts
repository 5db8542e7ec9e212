import { contentStems } from '../navigator/wordStems.js';

/**
 * What makes two calls "the same errand to the same number", so the second
 * follows what the first learned: the number and the stems of the
 * errand's meaningful words ("disputes team" and "the dispute team" agree).
 */
export function learnedKey(phoneNumber: string, intent: string): string {
  const stems = [...contentStems(intent)].sort();
  return `${phoneNumber}|${stems.join(' ')}`;
}
