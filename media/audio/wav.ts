import { readFile, writeFile } from 'node:fs/promises';
import wavefile from 'wavefile';
import type { PcmAudio, SampleRate } from './pcm.js';

const { WaveFile } = wavefile;

/**
 * WAV reading, writing and rate conversion through the `wavefile` library
 * (sinc resampling with an anti-aliasing filter), so that recordings at any
 * rate or depth become 16-bit mono PCM at the line's rate.
 */
export function decodeWav(bytes: Uint8Array, rate: SampleRate, source = 'WAV data'): PcmAudio {
  let wav: InstanceType<typeof WaveFile>;
  try {
    wav = new WaveFile(bytes);
  } catch (e) {
    throw new Error(`${source} is not a readable WAV file: ${(e as Error).message}`, { cause: e });
  }
  const fmt = wav.fmt as { numChannels: number; sampleRate: number };
  if (wav.bitDepth !== '16') wav.toBitDepth('16');
  let samples = wav.getSamples(false, Int16Array) as unknown as Int16Array | Int16Array[];
  if (fmt.numChannels > 1)
    samples = downmix(wav.getSamples(false, Int16Array) as unknown as Int16Array[]);
  return resample({ samples: samples as Int16Array, rate: fmt.sampleRate }, rate);
}

export async function readWav(file: string, rate: SampleRate): Promise<PcmAudio> {
  return decodeWav(await readFile(file), rate, file);
}

export function encodeWav(audio: PcmAudio): Uint8Array {
  const wav = new WaveFile();
  wav.fromScratch(1, audio.sampleRate, '16', audio.samples);
  return wav.toBuffer();
}

export async function writeWav(file: string, audio: PcmAudio): Promise<void> {
  await writeFile(file, encodeWav(audio));
}

export function resample(input: { samples: Int16Array; rate: number }, rate: SampleRate): PcmAudio {
  if (input.rate === rate) return { sampleRate: rate, samples: input.samples };
  const wav = new WaveFile();
  wav.fromScratch(1, input.rate, '16', input.samples);
  // Going down needs the sinc filter against aliasing; going up (8 to 16 kHz music) needs no filter,
  // and cubic interpolation is a hundred times faster on a minutes-long track.
  wav.toSampleRate(
    rate,
    rate < input.rate ? { method: 'sinc', LPF: true } : { method: 'cubic', LPF: false },
  );
  return {
    sampleRate: rate,
    samples: Int16Array.from(wav.getSamples(false, Int16Array) as unknown as Int16Array),
  };
}

function downmix(channels: Int16Array[]): Int16Array {
  const length = channels[0]?.length ?? 0;
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    let sum = 0;
    for (const channel of channels) sum += channel[i]!;
    out[i] = Math.round(sum / channels.length);
  }
  return out;
}
