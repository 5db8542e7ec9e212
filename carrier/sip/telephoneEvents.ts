/** RFC 4733 event codes 0-15 as the keys they are. */
const KEYS = '0123456789*#ABCD';

/**
 * Keys heard as RFC 4733 telephone-events. One key is sent as several
 * packets with the same RTP timestamp (the start, updates, and the end
 * three times over): it is one press, reported once, when it first arrives.
 */
export class TelephoneEvents {
  private lastTimestamp: number | undefined;

  /** The key this packet's payload starts, or undefined if it continues one already reported. */
  read(payload: Buffer, timestamp: number): string | undefined {
    if (payload.length < 4) return undefined;
    const event = payload[0]!;
    if (event >= KEYS.length) return undefined;
    if (timestamp === this.lastTimestamp) return undefined;
    this.lastTimestamp = timestamp;
    return KEYS[event];
  }
}
