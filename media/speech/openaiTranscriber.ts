import type OpenAI from 'openai';
import type { CallLeg } from '../telephony/callLeg.js';
import { createOpenAIClient, type OpenAIConnection } from './openaiClient.js';
import { OpenAILiveTranscription } from './openaiLiveTranscription.js';
import type { UtteranceOptions } from './openaiUtterances.js';
import type { LiveTranscription, Transcriber } from './transcriber.js';

export interface OpenAITranscriberOptions extends OpenAIConnection, UtteranceOptions {
  /** gpt-4o-mini-transcribe by default; whisper-1 gives only final transcripts. */
  model?: string;
  /** ISO-639-1, e.g. en: faster and surer than letting the model guess. */
  language?: string;
  /** Words to expect (the company's name, its menu's terms), in the audio's language. */
  prompt?: string;
}

/** whisper-1 answers a transcription in one piece; the gpt-4o transcribe models can stream it. */
function streams(model: string): boolean {
  return !model.startsWith('whisper');
}

/**
 * Speech to text through OpenAI's transcription endpoint, which takes whole
 * files: the leg's audio is cut into utterances at pauses, and each is
 * transcribed as it ends, streaming its words back where the model can.
 */
export class OpenAITranscriber implements Transcriber {
  readonly name = 'openai';
  private readonly client: OpenAI;
  private readonly model: string;

  constructor(private readonly options: OpenAITranscriberOptions) {
    this.client = createOpenAIClient(options);
    this.model = options.model ?? 'gpt-4o-mini-transcribe';
  }

  start(leg: CallLeg): LiveTranscription {
    const { apiKey, language, prompt, log } = this.options;
    const { endSilenceMs, maxUtteranceMs, preRollMs, minVoicedMs, tailMs } = this.options;
    return new OpenAILiveTranscription(this.client, leg, {
      endSilenceMs,
      maxUtteranceMs,
      preRollMs,
      minVoicedMs,
      tailMs,
      apiKey,
      model: this.model,
      stream: streams(this.model),
      ...(language ? { language } : {}),
      ...(prompt ? { prompt } : {}),
      ...(log ? { log: log.child({ transcriber: this.name, model: this.model }) } : {}),
    });
  }
}
