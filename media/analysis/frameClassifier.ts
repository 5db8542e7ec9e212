import type { SampleRate } from '../audio/pcm.js';
import { FingerprintBuilder } from './fingerprint.js';
import { FINGERPRINT_BANDS, FrameAnalyzer, type FrameFeatures } from './frameFeatures.js';
import { identifyTone, type ToneKind } from './toneIdentifier.js';
import { VoiceActivityDetector } from './vad.js';

export type FrameClass = 'silence' | 'tone' | 'music' | 'speech';

export interface ClassifiedFrame {
  label: FrameClass;
  /** Which tone, for tone frames: ringback, busy, SIT, a DTMF key's pair (an echo of keys), or another. */
  tone: ToneKind | undefined;
  /** The WebRTC VAD's verdict on this frame alone (it also fires on much music). */
  voice: boolean;
  /** The frame's 16-bit audio fingerprint hash. */
  hash: number;
  features: FrameFeatures;
}

/** Frames of context (500 ms): long enough to see syllables come and go. */
const WINDOW = 25;
const SILENCE_DB = -50;
/**
 * Median spectral flux over the window above which the sound is speech:
 * measured on real recordings (bench:vad's), speech stays above 0.87 (10th
 * percentile) and the hold music below 0.85 (98th) on a clean line. The
 * median, not the mean: a lost packet's concealment fades the level for a
 * frame or two, a jump in every band that lifted the mean of music to
 * speech's on a lossy line.
 */
const SPEECH_FLUX = 0.85;
/** Frames of sound (not silence) the window needs before it is judged: 160 ms, a short word. */
const MIN_SOUNDING = 8;
/** Frames a tone must hold to be one: 60 ms (DTMF keys last 50 ms or more, call-progress tones far longer). */
const TONE_FRAMES = 3;
/** A pure tone of no known kind (a beep) must hold longer, 200 ms, to be told from a held note. */
const UNKNOWN_TONE_FRAMES = 10;

/**
 * Labels each 20 ms frame of far-end audio as silence, tone (which one),
 * music or speech, at 8 or 16 kHz. Speech is a voice (WebRTC VAD) whose
 * spectrum keeps changing shape over the last half second, as syllables
 * do; music, even a melody, changes far less; a tone is one or two pure,
 * steady peaks.
 */
export class FrameClassifier {
  private readonly fluxes = new Float64Array(WINDOW);
  private readonly sortedFluxes = new Float64Array(WINDOW);
  private readonly previousBands = new Float64Array(FINGERPRINT_BANDS);
  private readonly voices = new Uint8Array(WINDOW);
  private readonly silent = new Uint8Array(WINDOW);
  private filled = 0;
  private cursor = 0;
  private toneKind: ToneKind | undefined;
  private toneRun = 0;
  private lastLevel = -100;
  private readonly fingerprint = new FingerprintBuilder();

  private constructor(
    private readonly analyzer: FrameAnalyzer,
    private readonly vad: VoiceActivityDetector,
  ) {}

  static async create(sampleRate: SampleRate): Promise<FrameClassifier> {
    return new FrameClassifier(
      new FrameAnalyzer(sampleRate),
      await VoiceActivityDetector.create(sampleRate, 3),
    );
  }

  classify(frame: Int16Array): ClassifiedFrame {
    const features = this.analyzer.analyze(frame);
    const voice = this.vad.isVoice(frame);
    const hash = this.fingerprint.push(features.bands);
    this.fluxes[this.cursor] =
      features.levelDb < SILENCE_DB ? 0 : this.spectralFlux(features.bands);
    this.previousBands.set(features.bands);
    this.voices[this.cursor] = voice ? 1 : 0;
    this.silent[this.cursor] = features.levelDb < SILENCE_DB ? 1 : 0;
    this.cursor = (this.cursor + 1) % WINDOW;
    this.filled = Math.min(WINDOW, this.filled + 1);

    const kind =
      features.levelDb < SILENCE_DB ? undefined : identifyTone(features.peaks, features.flatness);
    // A tone also holds its level (a note swells and decays): a jump restarts the run.
    const steady = Math.abs(features.levelDb - this.lastLevel) < 1.5;
    this.toneRun =
      kind !== undefined && kind === this.toneKind && steady ? this.toneRun + 1 : kind ? 1 : 0;
    this.toneKind = kind;
    this.lastLevel = features.levelDb;
    let label: FrameClass;
    if (features.levelDb < SILENCE_DB) label = 'silence';
    else if (this.toneRun >= (kind === 'tone' ? UNKNOWN_TONE_FRAMES : TONE_FRAMES)) label = 'tone';
    else label = this.speechLike() ? 'speech' : 'music';
    return { label, tone: label === 'tone' ? kind : undefined, voice, hash, features };
  }

  /** Mean change of the band log-energies since the last frame. */
  private spectralFlux(bands: Float64Array): number {
    let sum = 0;
    for (let b = 0; b < FINGERPRINT_BANDS; b++) sum += Math.abs(bands[b]! - this.previousBands[b]!);
    return sum / FINGERPRINT_BANDS;
  }

  dispose(): void {
    this.vad.dispose();
  }

  /** Voice in most of the last half second, and a spectrum that keeps changing, as syllables do. */
  private speechLike(): boolean {
    const n = this.filled;
    // Over the sound in the window only: the pauses between words are neither speech nor music.
    let sounding = 0;
    let voiced = 0;
    const sorted = this.sortedFluxes;
    for (let i = 0; i < n; i++) {
      if (this.silent[i]) continue;
      // Insertion into the sorted prefix: 25 values at most, cheaper than a typed array's sort per frame.
      const flux = this.fluxes[i]!;
      let j = sounding;
      while (j > 0 && sorted[j - 1]! > flux) {
        sorted[j] = sorted[j - 1]!;
        j -= 1;
      }
      sorted[j] = flux;
      voiced += this.voices[i]!;
      sounding += 1;
    }
    if (sounding < MIN_SOUNDING || voiced < sounding * 0.5) return false;
    return sorted[sounding >> 1]! > SPEECH_FLUX;
  }
}
