import type { MediaClock } from './call/mediaClock.js';

export type RingResult = { answered: true } | { answered: false; cause: 'busy' | 'no-answer' };

/**
 * The person's own phone, as the carrier simulates it: it rings and is
 * picked up. A few reserved names behave badly on purpose, so that the
 * failure paths of a transfer can be exercised.
 */
export class SimulatedPhones {
  constructor(
    /** How long the person takes to pick up. */
    private readonly answerAfterMs = 800,
    private readonly noAnswerAfterMs = 30_000,
  ) {}

  async ring(device: string, clock: MediaClock): Promise<RingResult> {
    if (device === 'sim:busy') {
      await clock.after(500);
      return { answered: false, cause: 'busy' };
    }
    if (device === 'sim:no-answer') {
      await clock.after(this.noAnswerAfterMs);
      return { answered: false, cause: 'no-answer' };
    }
    await clock.after(this.answerAfterMs);
    return { answered: true };
  }
}
