import type { PcmAudio, SampleRate } from './pcm.js';

/**
 * North American call-progress tones (ANSI T1.401): the frequencies and
 * cadences a real line plays, so the analysis meets what it will meet.
 */
export type ToneName = 'ringback' | 'busy' | 'sit' | 'beep';

interface Segment {
  hz: number[];
  ms: number;
}

/** One cadence cycle of each tone; longer tones repeat the cycle. */
const CADENCES: Record<ToneName, Segment[]> = {
  ringback: [
    { hz: [440, 480], ms: 2000 },
    { hz: [], ms: 4000 },
  ],
  busy: [
    { hz: [480, 620], ms: 500 },
    { hz: [], ms: 500 },
  ],
  // Special information tone, the "intercept" sequence that precedes "the number you have dialled is not in service".
  sit: [
    { hz: [913.8], ms: 274 },
    { hz: [1370.6], ms: 274 },
    { hz: [1776.7], ms: 380 },
  ],
  beep: [{ hz: [1000], ms: 500 }],
};

/** Default length in seconds when a clip gives none: one cycle, or two rings. */
const DEFAULT_SECONDS: Record<ToneName, number> = { ringback: 6, busy: 2, sit: 0.928, beep: 0.5 };

/** Per-frequency amplitude: about -16 dBFS each, the level of a real line's tones. */
const AMPLITUDE = 0.16 * 32767;

export function tone(name: ToneName, rate: SampleRate, seconds = DEFAULT_SECONDS[name]): PcmAudio {
  const total = Math.round(rate * seconds);
  const samples = new Int16Array(total);
  const cycle = CADENCES[name];
  let at = 0;
  while (at < total) {
    for (const segment of cycle) {
      const length = Math.min(Math.round((rate * segment.ms) / 1000), total - at);
      for (let i = 0; i < length; i++) {
        let v = 0;
        for (const hz of segment.hz) v += Math.sin((2 * Math.PI * hz * (at + i)) / rate);
        samples[at + i] = Math.round(v * AMPLITUDE);
      }
      at += length;
      if (at >= total) break;
    }
  }
  return { sampleRate: rate, samples };
}
