/**
 * How often each of a line's recordings has been heard, to say how likely
 * the next recording is one never heard before: the Good-Turing estimate,
 * recordings heard once over all hearings. A hold that has played one
 * announcement twice has probably played all it will; one that has played
 * three different ones once each has not, and a voice unlike them all may
 * well be a fourth.
 */
export class RecordingTally {
  private readonly counts: number[] = [];

  /** A recording already known for the line (from the flow or earlier calls): taken as heard twice. */
  addKnown(): number {
    this.counts.push(2);
    return this.counts.length - 1;
  }

  /** A recording heard for the first time on this hold; its index for `heardAgain`. */
  addNew(): number {
    this.counts.push(1);
    return this.counts.length - 1;
  }

  heardAgain(index: number): void {
    this.counts[index] = (this.counts[index] ?? 0) + 1;
  }

  /** Hearings so far, all recordings together. */
  get hearings(): number {
    return this.counts.reduce((a, b) => a + b, 0);
  }

  /**
   * The chance that the next recording played is one not yet heard:
   * (once-heard + 1) / (hearings + 2), Good-Turing with one pseudo-count
   * each way so that nothing heard gives one half, not a certainty.
   */
  unseenChance(): number {
    const once = this.counts.filter((c) => c === 1).length;
    return (once + 1) / (this.hearings + 2);
  }
}
