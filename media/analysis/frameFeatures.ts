import FFT from 'fft.js';
import { samplesPerFrame, type SampleRate } from '../audio/pcm.js';

/** A spectral peak: its frequency (interpolated between bins) and its share of the frame's energy. */
export interface Peak {
  hz: number;
  share: number;
}

/** What one 20 ms frame looks like, in the measures the classifier and the fingerprint use. */
export interface FrameFeatures {
  /** Level of the new 20 ms, in dB relative to full scale; -100 for digital silence. */
  levelDb: number;
  /** Geometric over arithmetic mean of the power spectrum (300-3400 Hz): near 0 for tones, near 1 for noise. */
  flatness: number;
  /** The two strongest peaks, strongest first (share 0 when absent). */
  peaks: [Peak, Peak];
  /** Log energy of each fingerprint band, low to high. Reused: copy it to keep it. */
  bands: Float64Array;
}

/** Bands of the audio fingerprint: log-spaced over the telephone band, as a codec leaves it. */
export const FINGERPRINT_BANDS = 17;
const LOW_HZ = 300;
const HIGH_HZ = 3400;

/**
 * Frame features from a real FFT (fft.js) of the last 40 ms (this frame and
 * the one before, Hann-windowed): twice the frame gives the frequency
 * resolution tones need and a fingerprint that tolerates the same recording
 * starting a few milliseconds off the frame grid. One instance per stream:
 * every buffer is reused, so a frame costs no allocation.
 */
export class FrameAnalyzer {
  private readonly fft: FFT;
  private readonly size: number;
  private readonly window: Float64Array;
  private readonly history: Float64Array;
  private readonly input: Float64Array;
  private readonly output: number[];
  private readonly power: Float64Array;
  private readonly binHz: number;
  private readonly lowBin: number;
  private readonly highBin: number;
  private readonly bandEdges: Int32Array;
  private readonly bands = new Float64Array(FINGERPRINT_BANDS);
  private readonly frameSize: number;

  constructor(readonly sampleRate: SampleRate) {
    this.frameSize = samplesPerFrame(sampleRate);
    const span = this.frameSize * 2;
    this.size = sampleRate === 8000 ? 512 : 1024;
    this.fft = new FFT(this.size);
    this.window = new Float64Array(span);
    for (let i = 0; i < span; i++)
      this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (span - 1));
    this.history = new Float64Array(span);
    this.input = new Float64Array(this.size);
    this.output = this.fft.createComplexArray();
    this.power = new Float64Array(this.size / 2);
    this.binHz = sampleRate / this.size;
    this.lowBin = Math.ceil(LOW_HZ / this.binHz);
    this.highBin = Math.min(this.size / 2 - 2, Math.floor(HIGH_HZ / this.binHz));
    this.bandEdges = new Int32Array(FINGERPRINT_BANDS + 1);
    for (let b = 0; b <= FINGERPRINT_BANDS; b++) {
      const hz = LOW_HZ * (HIGH_HZ / LOW_HZ) ** (b / FINGERPRINT_BANDS);
      this.bandEdges[b] = Math.round(hz / this.binHz);
    }
  }

  analyze(frame: Int16Array): FrameFeatures {
    const n = this.frameSize;
    // Slide the 40 ms window on by one frame.
    this.history.copyWithin(0, n);
    let energy = 0;
    for (let i = 0; i < n; i++) {
      const s = (frame[i] ?? 0) / 32768;
      energy += s * s;
      this.history[n + i] = s;
    }
    for (let i = 0; i < this.history.length; i++)
      this.input[i] = this.history[i]! * this.window[i]!;
    const levelDb = energy > 0 ? 10 * Math.log10(energy / n) : -100;
    this.fft.realTransform(this.output, this.input);

    const power = this.power;
    for (let b = this.lowBin - 1; b <= this.highBin + 1; b++) {
      const re = this.output[2 * b]!;
      const im = this.output[2 * b + 1]!;
      power[b] = re * re + im * im + 1e-15;
    }

    let total = 0;
    let logSum = 0;
    let first = -1;
    let second = -1;
    for (let b = this.lowBin; b <= this.highBin; b++) {
      const p = power[b]!;
      total += p;
      logSum += Math.log(p);
      if (p >= power[b - 1]! && p > power[b + 1]!) {
        if (first < 0 || p > power[first]!) {
          second = first;
          first = b;
        } else if (second < 0 || p > power[second]!) second = b;
      }
    }
    const count = this.highBin - this.lowBin + 1;
    const flatness = Math.exp(logSum / count) / (total / count);

    for (let band = 0; band < FINGERPRINT_BANDS; band++) {
      let e = 1e-12;
      for (let b = this.bandEdges[band]!; b < this.bandEdges[band + 1]!; b++) e += power[b]!;
      this.bands[band] = Math.log(e);
    }
    return {
      levelDb,
      flatness,
      peaks: [this.peak(first, total), this.peak(second, total)],
      bands: this.bands,
    };
  }

  /** A peak's frequency by parabolic interpolation, and the energy of its main lobe (±50 Hz, a 40 ms Hann window's). */
  private peak(bin: number, total: number): Peak {
    if (bin < 0 || total <= 0) return { hz: 0, share: 0 };
    const p = this.power;
    const a = Math.log(p[bin - 1]!);
    const b = Math.log(p[bin]!);
    const c = Math.log(p[bin + 1]!);
    const offset = a - 2 * b + c === 0 ? 0 : (0.5 * (a - c)) / (a - 2 * b + c);
    let lobe = 0;
    const half = Math.round(50 / this.binHz);
    for (let k = Math.max(this.lowBin, bin - half); k <= Math.min(this.highBin, bin + half); k++)
      lobe += p[k]!;
    return { hz: (bin + offset) * this.binHz, share: Math.min(1, lobe / total) };
  }
}
