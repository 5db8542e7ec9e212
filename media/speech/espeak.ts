import { Worker } from 'node:worker_threads';
import type { SampleRate, PcmAudio } from '../audio/pcm.js';
import type { SpeechSynthesizer } from './synthesizer.js';

interface Pending {
  resolve: (samples: Int16Array) => void;
  reject: (e: Error) => void;
}

export interface EspeakOptions {
  /** eSpeak NG voice, e.g. en-us. */
  voice?: string;
  /** Words per minute; 165 is close to an IVR's measured pace. */
  wpm?: number;
}

/** Offline speech synthesis with eSpeak NG, compiled to WebAssembly, in a worker thread. */
export class EspeakSynthesizer implements SpeechSynthesizer {
  readonly voiceId: string;
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly voice: string;
  private readonly wpm: number;

  constructor(options: EspeakOptions = {}) {
    this.voice = options.voice ?? 'en-us';
    this.wpm = options.wpm ?? 165;
    this.voiceId = `espeak-ng:${this.voice}:${this.wpm}`;
  }

  async synthesize(text: string, rate: SampleRate): Promise<PcmAudio> {
    const samples = await new Promise<Int16Array>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.ensureWorker().postMessage({ id, text, voice: this.voice, wpm: this.wpm, rate });
    });
    return { sampleRate: rate, samples };
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./espeakWorker.mjs', import.meta.url));
    worker.unref();
    worker.on('message', (msg: { id: number; samples?: Int16Array; error?: string }) => {
      const job = this.pending.get(msg.id);
      if (!job) return;
      this.pending.delete(msg.id);
      if (msg.samples) job.resolve(msg.samples);
      else job.reject(new Error(`eSpeak NG failed: ${msg.error ?? 'no output'}`));
    });
    worker.on('error', (e) => this.failAll(e));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (this.pending.size > 0)
        this.failAll(new Error(`eSpeak NG worker exited with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const job of this.pending.values()) job.reject(error);
    this.pending.clear();
  }
}
