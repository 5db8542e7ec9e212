import { FINGERPRINT_BANDS } from './frameFeatures.js';

/**
 * Audio fingerprints of speech heard on hold, so a recorded announcement is
 * known again when it comes back (on this hold, or on a later call to the
 * same line). Each frame gives 16 bits: whether the energy difference
 * between neighbouring bands rose or fell since the frame before (the
 * Haitsma-Kalker construction), which survives level changes and codecs.
 */
export class FingerprintBuilder {
  private previous: Float64Array | undefined;
  private readonly diffs = new Float64Array(FINGERPRINT_BANDS - 1);

  /** The frame's 16-bit hash, from its band log-energies. */
  push(bands: Float64Array): number {
    let hash = 0;
    for (let m = 0; m < FINGERPRINT_BANDS - 1; m++) {
      const diff = bands[m]! - bands[m + 1]!;
      if (this.previous && diff - this.previous[m]! > 0) hash |= 1 << m;
      this.diffs[m] = diff;
    }
    this.previous ??= new Float64Array(FINGERPRINT_BANDS - 1);
    this.previous.set(this.diffs);
    return hash;
  }
}

const BITS = FINGERPRINT_BANDS - 1;

/** Set bits in the low 16 bits of `x`: the bit errors between two frame hashes, XORed. */
export function popcount16(x: number): number {
  x -= (x >> 1) & 0x5555;
  x = (x & 0x3333) + ((x >> 2) & 0x3333);
  x = (x + (x >> 4)) & 0x0f0f;
  return (x + (x >> 8)) & 0x1f;
}

/** Where a probe lines up best with a reference: its bit error rate there, and how far the reference is ahead. */
export interface Alignment {
  ber: number;
  /** Reference frame index minus probe frame index at the best alignment. */
  offset: number;
}

/**
 * The best alignment of `probe` against `reference` near the start of both
 * (either may begin up to `maxShift` frames late). At least three quarters
 * of the probe is always compared: a few frames alone would match anything.
 */
export function bestAlignment(
  probe: ArrayLike<number>,
  reference: ArrayLike<number>,
  maxShift = 3,
): Alignment {
  let best: Alignment = { ber: 1, offset: 0 };
  const minLength = Math.max(1, Math.ceil(probe.length * 0.75));
  for (let p = 0; p <= maxShift; p++) {
    for (let r = 0; r <= maxShift; r++) {
      const length = Math.min(probe.length - p, reference.length - r);
      if (length < minLength) continue;
      let errors = 0;
      for (let i = 0; i < length; i++)
        errors += popcount16((probe[p + i]! ^ reference[r + i]!) & 0xffff);
      const ber = errors / (length * BITS);
      if (ber < best.ber) best = { ber, offset: r - p };
    }
  }
  return best;
}

/** Bit error rate of `probe` against `reference` at their best alignment near the start (see bestAlignment). */
export function bitErrorRate(
  probe: ArrayLike<number>,
  reference: ArrayLike<number>,
  maxShift = 3,
): number {
  return bestAlignment(probe, reference, maxShift).ber;
}

/**
 * Bit error rate of the probe frames `frames` (indices) against the
 * reference `offset` frames ahead, allowing the two to have drifted apart
 * by up to `drift` frames; frames outside the reference are skipped.
 */
export function windowErrorRate(
  probe: ArrayLike<number>,
  frames: readonly number[],
  reference: ArrayLike<number>,
  offset: number,
  drift: number,
): number {
  let best = 1;
  for (let d = -drift; d <= drift; d++) {
    let errors = 0;
    let compared = 0;
    for (const i of frames) {
      const r = i + offset + d;
      if (r < 0 || r >= reference.length) continue;
      errors += popcount16((probe[i]! ^ reference[r]!) & 0xffff);
      compared += 1;
    }
    if (compared > 0) best = Math.min(best, errors / (compared * BITS));
  }
  return best;
}

/** Frames a probe needs before it is compared at all (120 ms). */
export const MIN_MATCH_FRAMES = 6;

/**
 * The bit error rate at or below which a probe is the reference. A replay
 * of the same recording stays under 0.15; unrelated speech, at the best of
 * many alignments, comes down to about 0.35 for a 200 ms probe.
 */
export function matchThreshold(frames: number): number {
  return frames < 20 ? 0.22 : 0.28;
}

/** Whether `probe` is the start of `reference`, allowing either to begin up to `maxShift` frames late. */
export function matches(
  probe: ArrayLike<number>,
  reference: ArrayLike<number>,
  maxShift = 3,
): boolean {
  return (
    probe.length >= MIN_MATCH_FRAMES &&
    bitErrorRate(probe, reference, maxShift) <= matchThreshold(probe.length)
  );
}

/** A fingerprint as text, for storing with a flow or in the database. */
export function encodeFingerprint(hashes: ArrayLike<number>): string {
  return Buffer.from(Uint16Array.from(hashes).buffer).toString('base64');
}

export function decodeFingerprint(text: string): Uint16Array {
  const bytes = Buffer.from(text, 'base64');
  return new Uint16Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + (bytes.length & ~1)),
  );
}
