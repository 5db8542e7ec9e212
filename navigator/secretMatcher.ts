import { distance } from 'fastest-levenshtein';
import { contentStems } from './wordStems.js';

/** What secret names abbreviate, as menus say it. */
const EXPANSIONS: Record<string, string> = {
  dob: 'date of birth birthday',
  bday: 'date of birth birthday',
  ssn: 'social security',
  sin: 'social insurance',
  zip: 'zip postal',
  postcode: 'postal',
  pin: 'pin passcode',
  acct: 'account',
  conf: 'confirmation',
  ext: 'extension',
  tel: 'phone telephone',
  mobile: 'phone mobile cell',
  id: 'id identification',
  last4: 'last four',
  last: 'last',
};
/** Words any entry may have: they tell nothing about which one. */
const GENERIC = new Set(['number', 'code', 'digit', 'digits', 'key', 'keypad', 'pad', 'entry']);

/** The words a secret's name stands for: "card_last4" is card, last, four; "dob" is date of birth. */
export function secretWords(name: string): Set<string> {
  const parts = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([a-zA-Z])(\d)/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const whole = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const words = [...parts, EXPANSIONS[whole] ?? ''];
  for (const part of parts) words.push(EXPANSIONS[part] ?? '');
  if (parts.includes('4')) words.push('four');
  return contentStems(words.join(' '));
}

export interface SecretMatch {
  name: string;
  /** Words of the name found in what the menu asks for. */
  score: number;
  /** The next best secret's score. */
  runnerUp: number;
}

/** Which of the call's secrets a menu asks for ("your ten digit account number"), if any fits. */
export function matchSecret(what: string, names: string[]): SecretMatch | undefined {
  const asked = contentStems(what);
  for (const g of GENERIC) asked.delete(g);
  const scored = names
    .map((name) => ({
      name,
      score: [...secretWords(name)].filter((w) => !GENERIC.has(w) && heard(w, asked)).length,
    }))
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best || best.score === 0) return undefined;
  return { name: best.name, score: best.score, runnerUp: scored[1]?.score ?? 0 };
}

/**
 * A word of the secret's name among those asked for, or one a recogniser
 * misheard by a letter ("cofirmation"): long words only, where one letter
 * cannot make another word of them.
 */
function heard(word: string, asked: Set<string>): boolean {
  if (asked.has(word)) return true;
  if (word.length < MISHEARD_MIN_LENGTH) return false;
  for (const a of asked)
    if (Math.abs(a.length - word.length) <= 1 && distance(a, word) <= 1) return true;
  return false;
}
const MISHEARD_MIN_LENGTH = 6;
