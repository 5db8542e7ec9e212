import createFvad from '@echogarden/fvad-wasm';
import type { SampleRate } from '../audio/pcm.js';

/** The WebRTC voice activity detector (libfvad, compiled to WebAssembly). */
interface FvadModule {
  _fvad_new(): number;
  _fvad_free(instance: number): void;
  _fvad_set_mode(instance: number, mode: number): number;
  _fvad_set_sample_rate(instance: number, rate: number): number;
  _fvad_process(instance: number, frame: number, length: number): number;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  HEAP16: Int16Array;
}

let shared: Promise<FvadModule> | undefined;

/** Aggressiveness 0 (least) to 3 (most): how readily noise is called speech. */
export type VadMode = 0 | 1 | 2 | 3;

/**
 * Says, per 20 ms frame, whether a voice is in it. One instance per stream
 * (it keeps state across frames); the WebAssembly module is shared.
 */
export class VoiceActivityDetector {
  private constructor(
    private readonly module: FvadModule,
    private readonly instance: number,
    private readonly buffer: number,
    private readonly length: number,
  ) {}

  static async create(rate: SampleRate, mode: VadMode = 2): Promise<VoiceActivityDetector> {
    shared ??= (createFvad as unknown as () => Promise<FvadModule>)();
    const module = await shared;
    const instance = module._fvad_new();
    if (!instance) throw new Error('libfvad could not allocate a detector');
    if (
      module._fvad_set_mode(instance, mode) !== 0 ||
      module._fvad_set_sample_rate(instance, rate) !== 0
    ) {
      throw new Error(`libfvad refused mode ${mode} at ${rate} Hz`);
    }
    const length = (rate * 20) / 1000;
    return new VoiceActivityDetector(module, instance, module._malloc(length * 2), length);
  }

  isVoice(frame: Int16Array): boolean {
    this.module.HEAP16.set(frame.subarray(0, this.length), this.buffer >> 1);
    return this.module._fvad_process(this.instance, this.buffer, this.length) === 1;
  }

  dispose(): void {
    this.module._free(this.buffer);
    this.module._fvad_free(this.instance);
  }
}
