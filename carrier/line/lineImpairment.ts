import alawmulaw from 'alawmulaw';
import seedrandom from 'seedrandom';
import type { LineConditions } from './lineConditions.js';

const FRAME_MS = 20;
/** A frame this quiet (peak) is silence the far end's DTX would not send: comfort noise fills it. */
const SILENT_PEAK = 8;
/** The level moves to the next stretch's over this long, as an AGC would. */
const LEVEL_GLIDE_MS = 400;

function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

/**
 * The company's audio as it reaches the caller over a telephone network
 * (lineConditions), frame by frame, from a generator seeded per call so a
 * run repeats exactly. The order is the network's: the far end's level and
 * its line noise, comfort noise in place of silence, the codec, then the
 * packets lost or too late for the receiver's jitter buffer, which conceals
 * them as a G.711 receiver does (the last frame again, fading, then silence).
 * The buffer also delays every frame by its depth.
 */
export class LineImpairment {
  private readonly random: seedrandom.PRNG;
  private readonly delay: Int16Array[] = [];
  private readonly delayFrames: number;
  private readonly lateAfterMs: number;
  private gain = 1;
  private targetGain = 1;
  private untilNextLevelMs: number;
  private inLossBurst = false;
  private lastGood: Int16Array | undefined;
  private concealed = 0;
  private spareGaussian: number | undefined;

  constructor(
    private readonly conditions: LineConditions,
    seed: string,
  ) {
    this.random = seedrandom(`line:${seed}`);
    this.lateAfterMs = 2 * conditions.jitterMs;
    this.delayFrames = Math.ceil(this.lateAfterMs / FRAME_MS);
    this.untilNextLevelMs = conditions.levelEverySeconds * 1000;
  }

  /** The frame the caller receives for the frame the company sent; the same length. */
  process(sent: Int16Array): Int16Array {
    const frame = this.farEnd(sent);
    const coded = this.codec(frame);
    const arrived = this.arrives() ? coded : this.conceal(coded.length);
    if (arrived === coded) {
      this.lastGood = coded;
      this.concealed = 0;
    }
    if (this.delayFrames === 0) return arrived;
    this.delay.push(arrived);
    return this.delay.length > this.delayFrames ? this.delay.shift()! : new Int16Array(sent.length);
  }

  private farEnd(sent: Int16Array): Int16Array {
    const { noiseDbfs, comfortNoiseDbfs, levelDb } = this.conditions;
    if (levelDb > 0) this.moveLevel();
    let peak = 0;
    for (const s of sent) peak = Math.max(peak, Math.abs(s));
    const silent = peak <= SILENT_PEAK;
    const noiseRms =
      silent && comfortNoiseDbfs !== null
        ? 32768 * dbToGain(comfortNoiseDbfs)
        : noiseDbfs !== null
          ? 32768 * dbToGain(noiseDbfs)
          : 0;
    const out = new Int16Array(sent.length);
    const step =
      (this.targetGain - this.gain) / Math.max(1, (LEVEL_GLIDE_MS / FRAME_MS) * sent.length);
    for (let i = 0; i < sent.length; i++) {
      if (Math.abs(this.targetGain - this.gain) > Math.abs(step)) this.gain += step;
      const noise = noiseRms > 0 ? noiseRms * this.gaussian() : 0;
      out[i] = clamp(sent[i]! * this.gain + noise);
    }
    return out;
  }

  private moveLevel(): void {
    this.untilNextLevelMs -= FRAME_MS;
    if (this.untilNextLevelMs > 0) return;
    this.untilNextLevelMs = this.conditions.levelEverySeconds * 1000;
    const db = (this.random() * 2 - 1) * this.conditions.levelDb;
    this.targetGain = dbToGain(db);
  }

  private codec(frame: Int16Array): Int16Array {
    switch (this.conditions.codec) {
      case 'pcmu':
        return alawmulaw.mulaw.decode(alawmulaw.mulaw.encode(frame));
      case 'pcma':
        return alawmulaw.alaw.decode(alawmulaw.alaw.encode(frame));
      case 'none':
        return frame;
    }
  }

  /** Whether this packet arrives in time: not lost (a two-state burst model), not later than the buffer holds. */
  private arrives(): boolean {
    const { loss, lossBurst, jitterMs } = this.conditions;
    if (loss > 0) {
      // Gilbert model: bursts of mean length lossBurst, losing `loss` of packets in the long run.
      const leaveBurst = 1 / lossBurst;
      const enterBurst = (loss * leaveBurst) / (1 - loss);
      this.inLossBurst = this.random() < (this.inLossBurst ? 1 - leaveBurst : enterBurst);
      if (this.inLossBurst) return false;
    }
    return jitterMs === 0 || Math.abs(this.gaussian() * jitterMs) <= this.lateAfterMs;
  }

  private conceal(length: number): Int16Array {
    this.concealed += 1;
    const out = new Int16Array(length);
    // The last good frame again, at half then a quarter of its level; after that, silence.
    if (this.lastGood && this.concealed <= 2) {
      const fade = 0.5 ** this.concealed;
      for (let i = 0; i < length; i++) out[i] = Math.round((this.lastGood[i] ?? 0) * fade);
    }
    return out;
  }

  /** A standard normal draw (Box-Muller, both halves used). */
  private gaussian(): number {
    if (this.spareGaussian !== undefined) {
      const spare = this.spareGaussian;
      this.spareGaussian = undefined;
      return spare;
    }
    const u = Math.max(this.random(), 1e-12);
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareGaussian = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

function clamp(x: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(x)));
}
