import type { MediaClock } from './call/mediaClock.js';

/** A phone that a client registered over the carrier's protocol: it is rung, and hears the call once it answers. */
export interface PhoneEndpoint {
  ring(callId: string): void;
  hearAudio(frame: Int16Array): void;
  callEnded(callId: string, cause: string): void;
}

export type RingResult =
  | { answered: true; endpoint: PhoneEndpoint | undefined }
  | { answered: false; cause: 'busy' | 'no-answer' | 'rejected' };

/**
 * The person's own phone. A client may register a device (`sim:alice`) over
 * the same protocol callers use, and answer it; any other device is
 * simulated here: it rings and is picked up. A few reserved names behave
 * badly on purpose, so the failure paths of a transfer can be exercised.
 */
export class SimulatedPhones {
  private readonly registered = new Map<string, PhoneEndpoint>();
  private readonly ringing = new Map<string, (answered: boolean) => void>();

  constructor(
    /** How long a simulated person takes to pick up. */
    private readonly answerAfterMs = 200,
    private readonly noAnswerAfterMs = 30_000,
  ) {}

  /** Registers a device; the returned function unregisters it. */
  register(device: string, endpoint: PhoneEndpoint): () => void {
    this.registered.set(device, endpoint);
    return () => {
      if (this.registered.get(device) === endpoint) this.registered.delete(device);
    };
  }

  /** A registered phone answered (or declined) the ringing call. */
  respond(callId: string, answered: boolean): boolean {
    const pending = this.ringing.get(callId);
    if (!pending) return false;
    this.ringing.delete(callId);
    pending(answered);
    return true;
  }

  async ring(device: string, callId: string, clock: MediaClock): Promise<RingResult> {
    const endpoint = this.registered.get(device);
    if (endpoint) {
      const answered = await Promise.race([
        new Promise<boolean>((resolve) => {
          this.ringing.set(callId, resolve);
          endpoint.ring(callId);
        }),
        clock.after(this.noAnswerAfterMs).then(() => 'timeout' as const),
      ]);
      this.ringing.delete(callId);
      if (answered === 'timeout') return { answered: false, cause: 'no-answer' };
      return answered ? { answered: true, endpoint } : { answered: false, cause: 'rejected' };
    }
    if (device === 'sim:busy') {
      await clock.after(500);
      return { answered: false, cause: 'busy' };
    }
    if (device === 'sim:no-answer') {
      await clock.after(this.noAnswerAfterMs);
      return { answered: false, cause: 'no-answer' };
    }
    await clock.after(this.answerAfterMs);
    return { answered: true, endpoint: undefined };
  }
}
