import { FingerprintBuilder, popcount16 } from '../../media/analysis/fingerprint.js';
import { FrameAnalyzer } from '../../media/analysis/frameFeatures.js';
import type { SpeechSynthesizer } from '../../media/speech/synthesizer.js';

const RATE = 8000;
const FRAME = 160;
const BITS = 16;
/** Where within the first frame a rendering is cut from, in samples (2 ms apart). */
const PHASES = Array.from({ length: 10 }, (_, i) => i * 16);
/**
 * At or under this bit error rate the speech is the choice. The same voice
 * over G.711 comes out near 0.2; another phrase, at its best alignment,
 * above 0.38.
 */
const SAME_PHRASE = 0.3;

/** 16-bit fingerprints of 8 kHz audio, one per 20 ms frame (media/analysis/fingerprint). */
function fingerprint(samples: Int16Array): Uint16Array {
  const analyzer = new FrameAnalyzer(RATE);
  const builder = new FingerprintBuilder();
  const frames = Math.floor(samples.length / FRAME);
  const out = new Uint16Array(frames);
  for (let i = 0; i < frames; i++)
    out[i] = builder.push(analyzer.analyze(samples.subarray(i * FRAME, (i + 1) * FRAME)).bands);
  return out;
}

/** The lowest bit error rate of the shorter of two fingerprints laid anywhere along the longer. */
function bestWithin(a: Uint16Array, b: Uint16Array): number {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length === 0) return 1;
  let best = 1;
  for (let at = 0; at + short.length <= long.length; at++) {
    let errors = 0;
    for (let i = 0; i < short.length; i++)
      errors += popcount16((short[i]! ^ long[at + i]!) & 0xffff);
    best = Math.min(best, errors / (short.length * BITS));
  }
  return best;
}

/**
 * The carrier's ear for a SIP caller's words. A SIP line carries sound, not
 * text, and the carrier has no recogniser; but a menu that listens waits
 * for one of a few phrases, so the carrier says each one in its own voice
 * and asks which of them the caller's speech sounds like, by the same
 * fingerprints that recognise recordings on hold. A caller speaking with
 * the same synthesizer (the offline default) is understood; any other voice,
 * or a phrase the menu does not offer, is heard as speech with no words.
 */
export class SpokenChoices {
  /** Each choice's fingerprints from a few starting points within a frame: the caller's speech is not on the carrier's frame grid. */
  private readonly rendered = new Map<string, Promise<Uint16Array[]>>();

  constructor(private readonly voice: Pick<SpeechSynthesizer, 'synthesize'>) {}

  /** Which of `choices` the caller said, or '' when none sounds like it. */
  async recognise(heard: Int16Array, choices: readonly string[]): Promise<string> {
    if (choices.length === 0) return '';
    const probe = fingerprint(heard);
    let best = { choice: '', ber: 1 };
    for (const choice of choices) {
      for (const reference of await this.render(choice)) {
        // A choice much longer than the speech was not said in it.
        if (reference.length > probe.length + 10) continue;
        const ber = bestWithin(reference, probe);
        if (ber < best.ber) best = { choice, ber };
      }
    }
    return best.ber <= SAME_PHRASE ? best.choice : '';
  }

  private render(text: string): Promise<Uint16Array[]> {
    let entry = this.rendered.get(text);
    if (!entry) {
      entry = this.voice.synthesize(text, RATE).then((audio) => {
        const voiced = trimSilence(audio.samples);
        return PHASES.map((at) => fingerprint(voiced.subarray(at)));
      });
      this.rendered.set(text, entry);
    }
    return entry;
  }
}

/** The voiced part of a rendering: synthesizers pad their speech with silence. */
function trimSilence(samples: Int16Array): Int16Array {
  const loud = (i: number) => Math.abs(samples[i]!) > 500;
  let start = 0;
  while (start < samples.length && !loud(start)) start++;
  let end = samples.length;
  while (end > start && !loud(end - 1)) end--;
  return samples.subarray(start, end);
}
