import type { Peak } from './frameFeatures.js';

/** The call-progress and signalling tones a line carries. */
export type ToneKind = 'ringback' | 'busy' | 'sit' | 'dtmf' | 'tone';

const DTMF_LOW = [697, 770, 852, 941];
const DTMF_HIGH = [1209, 1336, 1477, 1633];
/** The special information tone's segment frequencies (North American SIT). */
const SIT = [913.8, 985.2, 1370.6, 1428.5, 1776.7];

const near = (hz: number, targets: number[], within: number) =>
  targets.some((t) => Math.abs(hz - t) <= within);

/**
 * Names the tone a frame's two strongest peaks make, or nothing when the
 * frame is not a tone (too much energy elsewhere). Ringback's 440 and 480 Hz
 * sit closer than a 40 ms window resolves, so they show as one peak between.
 */
export function identifyTone(peaks: [Peak, Peak], flatness: number): ToneKind | undefined {
  const [a, b] = peaks;
  // A tone is pure: nearly all its energy in one or two narrow peaks. Notes and vowels spread theirs over harmonics.
  if (flatness > 0.05 || a.share + b.share < 0.95) return undefined;
  if (b.share >= 0.12) {
    const [low, high] = a.hz < b.hz ? [a.hz, b.hz] : [b.hz, a.hz];
    if (near(low, DTMF_LOW, 20) && near(high, DTMF_HIGH, 25)) return 'dtmf';
    if (Math.abs(low - 480) <= 25 && Math.abs(high - 620) <= 25) return 'busy';
    if (Math.abs(low - 440) <= 20 && Math.abs(high - 480) <= 20) return 'ringback';
    if (near(low, SIT, 12) || near(high, SIT, 12)) return 'sit';
    return 'tone';
  }
  if (a.hz >= 430 && a.hz <= 490) return 'ringback';
  if (near(a.hz, SIT, 12)) return 'sit';
  return a.share >= 0.95 ? 'tone' : undefined;
}
