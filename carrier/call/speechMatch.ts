/** Lower-case words without punctuation, so "Billing, please." reads as "billing please". */
export function normalizeWords(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s']/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The speech recogniser of a simulated menu: the longest phrase that occurs,
 * as whole words, in what the caller said.
 */
export function matchPhrase(said: string, phrases: Record<string, string>): string | undefined {
  const heard = ` ${normalizeWords(said)} `;
  let best: { phrase: string; target: string } | undefined;
  for (const [phrase, target] of Object.entries(phrases)) {
    const p = normalizeWords(phrase);
    if (p && heard.includes(` ${p} `) && (!best || p.length > best.phrase.length))
      best = { phrase: p, target };
  }
  return best?.target;
}
