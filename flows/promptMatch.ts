/** Lower-case words, punctuation dropped: how transcripts are compared. */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s']/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** How many of the expected prompt's closing words are compared. */
const TAIL_WORDS = 4;

/**
 * True when what was heard ends the way the expected prompt ends: its last
 * few words, in order, among the last words heard. One word may be missing
 * or misheard, as a real recogniser's would be.
 */
export function endsLike(heard: string, expected: string): boolean {
  const tail = wordsOf(expected).slice(-TAIL_WORDS);
  if (tail.length === 0) return false;
  const recent = wordsOf(heard).slice(-(tail.length + 3));
  let found = 0;
  let at = 0;
  for (const word of tail) {
    const index = recent.indexOf(word, at);
    if (index >= 0) {
      found += 1;
      at = index + 1;
    }
  }
  const allowedMisses = tail.length >= 3 ? 1 : 0;
  // The last expected word, or the one before it, must be among the very last heard: the prompt has ended.
  const lastHeard = recent.slice(-2);
  const ended =
    lastHeard.includes(tail[tail.length - 1]!) || lastHeard.includes(tail[tail.length - 2] ?? '');
  return ended && found >= tail.length - allowedMisses;
}
