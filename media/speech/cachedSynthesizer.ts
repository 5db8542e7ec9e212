import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PcmAudio, SampleRate } from '../audio/pcm.js';
import { decodeWav, encodeWav } from '../audio/wav.js';
import type { SpeechSynthesizer } from './synthesizer.js';

/**
 * Renders each phrase once: in memory for the process, and on disk when a
 * folder is given, so IVR prompts and SPEAK lines cost nothing the second time.
 */
export class CachedSynthesizer implements SpeechSynthesizer {
  readonly voiceId: string;
  private readonly memory = new Map<string, Promise<PcmAudio>>();

  constructor(
    private readonly inner: SpeechSynthesizer,
    private readonly dir?: string,
    private readonly maxEntries = 2000,
  ) {
    this.voiceId = inner.voiceId;
  }

  synthesize(text: string, rate: SampleRate): Promise<PcmAudio> {
    const key = createHash('sha256')
      .update(`${this.voiceId}\n${rate}\n${text}`)
      .digest('hex')
      .slice(0, 32);
    let entry = this.memory.get(key);
    if (!entry) {
      entry = this.render(key, text, rate);
      entry.catch(() => this.memory.delete(key));
      if (this.memory.size >= this.maxEntries) {
        const oldest = this.memory.keys().next().value;
        if (oldest !== undefined) this.memory.delete(oldest);
      }
      this.memory.set(key, entry);
    }
    return entry.then((audio) => ({
      sampleRate: audio.sampleRate,
      samples: audio.samples.slice(),
    }));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async render(key: string, text: string, rate: SampleRate): Promise<PcmAudio> {
    const file = this.dir ? path.join(this.dir, `${key}.wav`) : undefined;
    if (file) {
      try {
        return decodeWav(await readFile(file), rate, file);
      } catch {
        // Not cached yet, or a torn file from a crash: render it again.
      }
    }
    const audio = await this.inner.synthesize(text, rate);
    if (file && this.dir) {
      await mkdir(this.dir, { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, encodeWav(audio));
      await rename(temp, file);
    }
    return audio;
  }
}
