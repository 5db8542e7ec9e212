import { samplesPerFrame, type SampleRate } from '../audio/pcm.js';
import { RealFft } from './realFft.js';

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
 * Frame features from a real FFT (PFFFT, realFft) of the last 40 ms (this frame and
 * the one before, Hann-windowed): twice the frame gives the frequency
 * resolution tones need and a fingerprint that tolerates the same recording
 * starting a few milliseconds off the frame grid. One instance per stream:
 * every buffer is reused, so a frame costs no allocation.
 */
export class FrameAnalyzer {
  private readonly fft: RealFft;
  private readonly size: number;
  private readonly window: Float64Array;
  /** The previous frame's samples, scaled to ±1. */
  private readonly history: Float64Array;
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
    this.fft = new RealFft(this.size);
    this.window = new Float64Array(span);
    for (let i = 0; i < span; i++)
      this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (span - 1));
    this.history = new Float64Array(this.frameSize);
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
    // The 40 ms window: the frame before (kept from the last call) and this one, windowed as they are copied.
    const { history, window } = this;
    // Another stream's analyzer may have used the shared buffer since: all of it is written, padding too.
    const input = this.fft.inputBuffer;
    const length = Math.min(n, frame.length);
    let energy = 0;
    for (let i = 0; i < n; i++) {
      input[i] = history[i]! * window[i]!;
      const s = i < length ? frame[i]! / 32768 : 0;
      energy += s * s;
      history[i] = s;
      input[n + i] = s * window[n + i]!;
    }
    input.fill(0, 2 * n);
    const levelDb = energy > 0 ? 10 * Math.log10(energy / n) : -100;
    const spectrum = this.fft.transform();

    const power = this.power;
    const { lowBin, highBin } = this;
    let total = 0;
    let logSum = 0;
    // The log of a product of eight bins, not eight logs: the logarithm is most of this loop's cost,
    // and eight powers (each between 1e-15 and about 1e5) multiply well inside a double's range.
    let product = 1;
    for (let b = lowBin - 1; b <= highBin + 1; b++) {
      const re = spectrum[2 * b]!;
      const im = spectrum[2 * b + 1]!;
      const p = re * re + im * im + 1e-15;
      power[b] = p;
      if (b < lowBin || b > highBin) continue;
      total += p;
      product *= p;
      if (((b - lowBin) & 7) === 7) {
        logSum += Math.log(product);
        product = 1;
      }
    }
    logSum += Math.log(product);
    let first = -1;
    let second = -1;
    for (let b = lowBin; b <= highBin; b++) {
      const p = power[b]!;
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
