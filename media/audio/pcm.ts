/**
 * Audio inside Hold Slayer is 16-bit linear PCM, mono, at 8 or 16 kHz, moved
 * in 20 ms frames: the shape a telephone line gives and FreeSWITCH forks.
 */
export const SAMPLE_RATES = [8000, 16000] as const;
export type SampleRate = (typeof SAMPLE_RATES)[number];
export const FRAME_MS = 20;

export function isSampleRate(n: number): n is SampleRate {
  return (SAMPLE_RATES as readonly number[]).includes(n);
}

export function samplesPerFrame(rate: SampleRate): number {
  return (rate * FRAME_MS) / 1000;
}

/** A run of audio with its rate; `samples` is never shared with the caller. */
export interface PcmAudio {
  sampleRate: SampleRate;
  samples: Int16Array;
}

export function durationMs(audio: PcmAudio): number {
  return (audio.samples.length * 1000) / audio.sampleRate;
}

export function silence(rate: SampleRate, ms: number): PcmAudio {
  return { sampleRate: rate, samples: new Int16Array(Math.round((rate * ms) / 1000)) };
}

export function concat(rate: SampleRate, parts: PcmAudio[]): PcmAudio {
  const total = parts.reduce((n, p) => n + p.samples.length, 0);
  const samples = new Int16Array(total);
  let at = 0;
  for (const part of parts) {
    if (part.sampleRate !== rate)
      throw new Error(`cannot join ${part.sampleRate} Hz audio into ${rate} Hz`);
    samples.set(part.samples, at);
    at += part.samples.length;
  }
  return { sampleRate: rate, samples };
}

/** Little-endian bytes of a frame, as sent on the wire. */
export function toBytes(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, i * 2);
  return out;
}

export function fromBytes(bytes: Buffer | Uint8Array): Int16Array {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int16Array(Math.floor(view.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = view.readInt16LE(i * 2);
  return out;
}

/** Splits audio into whole 20 ms frames, padding the last with silence. */
export function* frames(audio: PcmAudio): Generator<Int16Array> {
  const size = samplesPerFrame(audio.sampleRate);
  for (let at = 0; at < audio.samples.length; at += size) {
    const frame = new Int16Array(size);
    frame.set(audio.samples.subarray(at, Math.min(at + size, audio.samples.length)));
    yield frame;
  }
}

/** Scales audio by a gain in dB, clipping at full scale. */
export function withGain(audio: PcmAudio, db: number): PcmAudio {
  const k = 10 ** (db / 20);
  const samples = new Int16Array(audio.samples.length);
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.max(-32768, Math.min(32767, Math.round(audio.samples[i]! * k)));
  }
  return { sampleRate: audio.sampleRate, samples };
}
