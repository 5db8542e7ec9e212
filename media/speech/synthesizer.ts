import type { PcmAudio, SampleRate } from '../audio/pcm.js';

/** Text to speech: one interface for the offline and the network voices. */
export interface SpeechSynthesizer {
  /** A stable name for the voice, part of every cache key. */
  readonly voiceId: string;
  synthesize(text: string, rate: SampleRate): Promise<PcmAudio>;
  close(): Promise<void>;
}
