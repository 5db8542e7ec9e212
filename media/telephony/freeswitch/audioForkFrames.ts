import { samplesPerFrame, type SampleRate } from '../../audio/pcm.js';

/**
 * mod_audio_fork sends the far end's audio as raw 16-bit little-endian PCM
 * in messages of whatever size its buffer held when it flushed: cut into
 * the 20 ms frames the analysis reads, carrying the odd bytes over.
 */
export class AudioForkFrames {
  private readonly frameBytes: number;
  private pending: Buffer = Buffer.alloc(0);

  constructor(sampleRate: SampleRate) {
    this.frameBytes = samplesPerFrame(sampleRate) * 2;
  }

  /** The whole frames that `message` completes, in order. */
  push(message: Buffer): Int16Array[] {
    const bytes = this.pending.length > 0 ? Buffer.concat([this.pending, message]) : message;
    const frames: Int16Array[] = [];
    let at = 0;
    for (; at + this.frameBytes <= bytes.length; at += this.frameBytes) {
      const frame = new Int16Array(this.frameBytes / 2);
      for (let i = 0; i < frame.length; i++) frame[i] = bytes.readInt16LE(at + i * 2);
      frames.push(frame);
    }
    // Copied: the socket may reuse the buffer it handed over.
    this.pending = Buffer.from(bytes.subarray(at));
    return frames;
  }
}
