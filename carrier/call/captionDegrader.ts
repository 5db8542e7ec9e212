import seedrandom from 'seedrandom';

/** Words a recogniser confuses, by what was said. */
const CONFUSIONS: Record<string, string[]> = {
  one: ['won', 'on'],
  two: ['to', 'too'],
  four: ['for', 'or'],
  eight: ['ate'],
  for: ['four', 'far'],
  to: ['two', 'do'],
  press: ['dress', 'pres'],
  your: ['you', 'you are'],
  account: ['a count', 'count'],
  billing: ['building', 'filling'],
  claim: ['plane', 'clean'],
  number: ['numb', 'lumber'],
};
const FILLERS = ['the', 'a', 'and', 'uh', 'in', 'of', 'that', 'it'];

/**
 * Stands in for an imperfect speech recogniser: a share of the words of
 * each caption is replaced, dropped or misheard, from a generator seeded per
 * call, so a run repeats exactly.
 */
export class CaptionDegrader {
  private readonly random: seedrandom.PRNG;

  constructor(
    private readonly wordErrorRate: number,
    seed: string,
  ) {
    this.random = seedrandom(seed);
  }

  degrade(caption: string): string {
    if (this.wordErrorRate <= 0) return caption;
    const out: string[] = [];
    for (const word of caption.split(/\s+/).filter(Boolean)) {
      if (this.random() >= this.wordErrorRate) {
        out.push(word);
        continue;
      }
      const kind = this.random();
      if (kind < 1 / 3) continue; // dropped
      if (kind < 2 / 3)
        out.push(this.pick(FILLERS)); // replaced
      else out.push(this.mishear(word));
    }
    return out.join(' ');
  }

  private mishear(word: string): string {
    const bare = word.toLowerCase().replace(/[^a-z0-9']/g, '');
    const confused = CONFUSIONS[bare];
    if (confused) return this.pick(confused);
    if (/^\d$/.test(bare)) return String((Number(bare) + 1 + Math.floor(this.random() * 8)) % 10);
    if (bare.length < 3) return this.pick(FILLERS);
    // A sound lost: one letter dropped from the middle of the word.
    const at = 1 + Math.floor(this.random() * (bare.length - 2));
    return bare.slice(0, at) + bare.slice(at + 1);
  }

  private pick<T>(items: T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }
}
