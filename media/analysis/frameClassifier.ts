import type { SampleRate } from '../audio/pcm.js';
import { FrameAnalyzer, type FrameFeatures } from './frameFeatures.js';

export type FrameClass = 'silence' | 'tone' | 'music' | 'speech';

/** Frames of context (500 ms): long enough to see syllables come and go. */
const WINDOW = 25;
const SILENCE_DB = -50;

/**
 * Labels each 20 ms frame of far-end audio. Speech and music are told apart
 * by how the level moves over the last half second: speech rises and falls
 * with every syllable (large, frequent level steps and deep dips), music holds
 * its level. Tones are a few steady spectral peaks.
 */
export class FrameClassifier {
  private readonly analyzer: FrameAnalyzer;
  private readonly levels: number[] = [];
  private tonePeak = 0;
  private toneRun = 0;

  constructor(sampleRate: SampleRate) {
    this.analyzer = new FrameAnalyzer(sampleRate);
  }

  classify(frame: Int16Array): { label: FrameClass; features: FrameFeatures } {
    const features = this.analyzer.analyze(frame);
    this.levels.push(features.levelDb);
    if (this.levels.length > WINDOW) this.levels.shift();
    return { label: this.label(features), features };
  }

  private label(f: FrameFeatures): FrameClass {
    if (f.levelDb < SILENCE_DB) {
      this.toneRun = 0;
      return 'silence';
    }
    // A tone holds one pure, steady peak: voiced speech and most notes drift within 160 ms.
    const previous = this.levels[this.levels.length - 2] ?? f.levelDb;
    const pure = f.peakShare > 0.9 && f.flatness < 0.02 && Math.abs(f.levelDb - previous) < 1.5;
    if (pure && Math.abs(f.peakHz - this.tonePeak) < 40) this.toneRun += 1;
    else this.toneRun = pure ? 1 : 0;
    this.tonePeak = f.peakHz;
    if (this.toneRun >= 8) return 'tone';

    const n = this.levels.length;
    const audible = this.levels.map((l) => Math.max(l, SILENCE_DB - 10));
    const mean = audible.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(audible.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    let steps = 0;
    for (let i = 1; i < n; i++) steps += Math.abs(audible[i]! - audible[i - 1]!);
    const meanStep = n > 1 ? steps / (n - 1) : 0;
    return sd > 6 && meanStep > 3.2 ? 'speech' : 'music';
  }
}
