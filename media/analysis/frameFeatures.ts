import FFT from 'fft.js';
import type { SampleRate } from '../audio/pcm.js';

/** What one 20 ms frame looks like, in the measures the classifier uses. */
export interface FrameFeatures {
  /** Level in dB relative to full scale; -100 for digital silence. */
  levelDb: number;
  /** Geometric over arithmetic mean of the power spectrum: near 0 for tones, near 1 for noise. */
  flatness: number;
  /** Share of the energy (300-3400 Hz) in the three strongest spectral peaks: high for tones. */
  peakShare: number;
  /** Frequency of the strongest peak, Hz. */
  peakHz: number;
  /** Spectral centroid, Hz. */
  centroidHz: number;
  /** The magnitude spectrum (FFT bins up to Nyquist), normalised to unit sum, for flux. */
  spectrum: Float64Array;
}

/**
 * Computes frame features with a real FFT (fft.js) over a Hann-windowed,
 * zero-padded frame. One instance per stream: it reuses its buffers.
 */
export class FrameAnalyzer {
  private readonly fft: FFT;
  private readonly size: number;
  private readonly window: Float64Array;
  private readonly input: Float64Array;
  private readonly output: number[];
  private readonly binHz: number;
  private readonly lowBin: number;
  private readonly highBin: number;

  constructor(readonly sampleRate: SampleRate) {
    this.size = sampleRate === 8000 ? 256 : 512;
    this.fft = new FFT(this.size);
    this.window = new Float64Array((sampleRate * 20) / 1000);
    for (let i = 0; i < this.window.length; i++) {
      this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (this.window.length - 1));
    }
    this.input = new Float64Array(this.size);
    this.output = this.fft.createComplexArray();
    this.binHz = sampleRate / this.size;
    this.lowBin = Math.ceil(300 / this.binHz);
    this.highBin = Math.min(this.size / 2 - 1, Math.floor(3400 / this.binHz));
  }

  analyze(frame: Int16Array): FrameFeatures {
    let energy = 0;
    const n = Math.min(frame.length, this.window.length);
    for (let i = 0; i < n; i++) {
      const s = frame[i]! / 32768;
      energy += s * s;
      this.input[i] = s * this.window[i]!;
    }
    this.input.fill(0, n);
    const levelDb = energy > 0 ? 10 * Math.log10(energy / n) : -100;
    this.fft.realTransform(this.output, this.input);

    const bins = this.size / 2;
    const spectrum = new Float64Array(bins);
    let total = 0;
    let logSum = 0;
    let weighted = 0;
    let peakBin = this.lowBin;
    for (let b = 0; b < bins; b++) {
      const re = this.output[2 * b]!;
      const im = this.output[2 * b + 1]!;
      const power = re * re + im * im;
      spectrum[b] = Math.sqrt(power);
    }
    const top = [0, 0, 0];
    for (let b = this.lowBin; b <= this.highBin; b++) {
      const power = spectrum[b]! * spectrum[b]! + 1e-12;
      total += power;
      logSum += Math.log(power);
      weighted += power * b * this.binHz;
      if (power > spectrum[peakBin]! ** 2) peakBin = b;
      // A peak is a local maximum; its share counts the bin and its two neighbours (the Hann main lobe).
      const isPeak = spectrum[b]! >= spectrum[b - 1]! && spectrum[b]! >= (spectrum[b + 1] ?? 0);
      if (isPeak) {
        const lobe = power + spectrum[b - 1]! ** 2 + (spectrum[b + 1] ?? 0) ** 2;
        if (lobe > top[2]!) {
          top[2] = lobe;
          top.sort((a, c) => c - a);
        }
      }
    }
    const count = this.highBin - this.lowBin + 1;
    const flatness = total > 0 ? Math.exp(logSum / count) / (total / count) : 1;
    let sum = 0;
    for (let b = 0; b < bins; b++) sum += spectrum[b]!;
    if (sum > 0) for (let b = 0; b < bins; b++) spectrum[b]! /= sum;
    return {
      levelDb,
      flatness,
      peakShare: total > 0 ? Math.min(1, (top[0]! + top[1]! + top[2]!) / total) : 0,
      peakHz: peakBin * this.binHz,
      centroidHz: total > 0 ? weighted / total : 0,
      spectrum,
    };
  }
}
