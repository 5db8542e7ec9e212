import { createHash } from 'node:crypto';
import type OpenAI from 'openai';
import { fromBytes, type PcmAudio, type SampleRate } from '../audio/pcm.js';
import { resample } from '../audio/wav.js';
import {
  createOpenAIClient,
  describeOpenAIFailure,
  type OpenAIConnection,
} from './openaiClient.js';
import type { SpeechSynthesizer } from './synthesizer.js';

export interface OpenAISynthesizerOptions extends OpenAIConnection {
  /** gpt-4o-mini-tts by default; tts-1 and tts-1-hd also answer in PCM. */
  model?: string;
  /** alloy by default. */
  voice?: string;
  /** How to speak (gpt-4o-mini-tts only), e.g. "calm, clear, unhurried". */
  instructions?: string;
  /** 0.25 to 4. */
  speed?: number;
}

/** OpenAI's `pcm` format: raw 16-bit little-endian mono at 24 kHz. */
const PCM_RATE = 24_000;

export class OpenAISynthesisError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'OpenAISynthesisError';
  }
}

/** Text to speech through OpenAI's speech endpoint, brought down to the line's rate. */
export class OpenAISynthesizer implements SpeechSynthesizer {
  readonly voiceId: string;
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly voice: string;

  constructor(private readonly options: OpenAISynthesizerOptions) {
    this.client = createOpenAIClient(options);
    this.model = options.model ?? 'gpt-4o-mini-tts';
    this.voice = options.voice ?? 'alloy';
    // Everything that changes the sound is in the id, since caches key on it.
    const style = [options.instructions ?? '', options.speed ?? ''].join('\n');
    const suffix =
      style.trim() === '' ? '' : `:${createHash('sha256').update(style).digest('hex').slice(0, 8)}`;
    this.voiceId = `openai:${this.model}:${this.voice}${suffix}`;
  }

  async synthesize(text: string, rate: SampleRate): Promise<PcmAudio> {
    const { instructions, speed } = this.options;
    let bytes: Uint8Array;
    try {
      const response = await this.client.audio.speech.create({
        model: this.model,
        voice: this.voice,
        input: text,
        response_format: 'pcm',
        ...(instructions ? { instructions } : {}),
        ...(speed !== undefined ? { speed } : {}),
      });
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      const failure = describeOpenAIFailure(e, this.options.apiKey);
      throw new OpenAISynthesisError(
        `OpenAI speech for "${text.slice(0, 40)}" failed: ${failure.message}`,
        failure.retryable,
      );
    }
    return resample({ samples: fromBytes(bytes), rate: PCM_RATE }, rate);
  }

  async close(): Promise<void> {
    // The SDK keeps no connection of its own to close.
  }
}
