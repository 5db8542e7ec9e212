import { readFile, writeFile } from 'node:fs/promises';
import wavefile from 'wavefile';
import type { PcmAudio, SampleRate } from './pcm.js';
import { resampleInt16, wavToInt16 } from './resampleCore.mjs';

const { WaveFile } = wavefile;

/**
 * WAV reading, writing and rate conversion through the `wavefile` library
 * (sinc resampling with an anti-aliasing filter), so that recordings at any
 * rate or depth become 16-bit mono PCM at the line's rate.
 */
export function decodeWav(bytes: Uint8Array, rate: SampleRate, source = 'WAV data'): PcmAudio {
  try {
    return { sampleRate: rate, samples: wavToInt16(bytes, rate) };
  } catch (e) {
    throw new Error(`${source} is not a readable WAV file: ${(e as Error).message}`, { cause: e });
  }
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
  return { sampleRate: rate, samples: resampleInt16(input.samples, input.rate, rate) };
}
