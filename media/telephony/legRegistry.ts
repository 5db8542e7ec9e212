import type { CallLeg, DialRequest, TelephonyPort } from './callLeg.js';

/** How long an ended call's leg is kept for activities still finishing on it. */
const ENDED_GRACE_MS = 30_000;

/**
 * The legs this worker is attached to, by call id. An activity asks here for
 * its call; if this worker has never seen it (another worker placed it, or
 * this one restarted), the leg is attached afresh from the media server.
 */
export class LegRegistry {
  private readonly legs = new Map<string, Promise<CallLeg>>();

  constructor(readonly port: TelephonyPort) {}

  dial(request: DialRequest): Promise<CallLeg> {
    return this.track(request.callId, () => this.port.dial(request));
  }

  get(callId: string): Promise<CallLeg> {
    return this.track(callId, () => this.port.attach(callId));
  }

  /** Lets go of a call this worker no longer needs (it ended, or was handed to the user). */
  release(callId: string): void {
    const entry = this.legs.get(callId);
    this.legs.delete(callId);
    entry?.then(
      (leg) => leg.detach(),
      () => undefined,
    );
  }

  async close(): Promise<void> {
    for (const id of [...this.legs.keys()]) this.release(id);
    await this.port.close();
  }

  private async track(callId: string, open: () => Promise<CallLeg>): Promise<CallLeg> {
    const cached = this.legs.get(callId);
    if (cached) {
      const leg = await cached.catch(() => undefined);
      if (leg?.attached) return leg;
      if (this.legs.get(callId) === cached) this.legs.delete(callId);
    }
    const opening = open();
    this.legs.set(callId, opening);
    opening.then(
      (leg) => {
        leg.on('detached', () => this.legs.get(callId) === opening && this.legs.delete(callId));
        // An ended call is let go of after a grace period even if no activity says so
        // (its workflow may have moved on to another worker).
        leg.on('state', (state) => {
          if (state !== 'ended') return;
          const timer = setTimeout(
            () => this.legs.get(callId) === opening && this.release(callId),
            ENDED_GRACE_MS,
          );
          timer.unref();
        });
      },
      () => this.legs.get(callId) === opening && this.legs.delete(callId),
    );
    return opening;
  }
}
