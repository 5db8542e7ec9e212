import type OpenAI from 'openai';
import { APIError, toFile } from 'openai';
import type { Transcript } from './transcriber.js';

export interface UtteranceRequest {
  wav: Uint8Array;
  /** Names the upload, for the server's logs. */
  name: string;
  model: string;
  /** Whether the model streams (the gpt-4o transcribe models do, whisper-1 does not). */
  stream: boolean;
  language?: string;
  prompt?: string;
  signal: AbortSignal;
}

/** A stream cut after it began cannot be retried by the SDK: it is sent again this many times. */
const STREAM_RESENDS = 1;

/**
 * Transcribes one utterance: interim transcripts (the utterance's text so
 * far) as deltas arrive, then the final one. Resolves when the final text
 * is out, or the request was aborted.
 */
export async function transcribeUtterance(
  client: OpenAI,
  request: UtteranceRequest,
  emit: (t: Transcript) => void,
): Promise<void> {
  const file = await toFile(request.wav, request.name, { type: 'audio/wav' });
  const params = {
    file,
    model: request.model,
    response_format: 'json' as const,
    ...(request.language ? { language: request.language } : {}),
    ...(request.prompt ? { prompt: request.prompt } : {}),
  };
  const options = { signal: request.signal };

  if (!request.stream) {
    const result = await client.audio.transcriptions.create({ ...params, stream: false }, options);
    if (result.text.trim()) emit({ text: result.text.trim(), final: true });
    return;
  }

  for (let attempt = 0; ; attempt++) {
    const stream = await client.audio.transcriptions.create({ ...params, stream: true }, options);
    let text = '';
    try {
      for await (const event of stream) {
        if (event.type === 'transcript.text.delta') {
          text += event.delta;
          if (text.trim()) emit({ text: text.trim(), final: false });
        } else if (event.type === 'transcript.text.done') {
          if (event.text.trim()) emit({ text: event.text.trim(), final: true });
          return;
        }
      }
      if (request.signal.aborted) return;
      throw new Error('the transcription stream ended before transcript.text.done');
    } catch (error) {
      if (request.signal.aborted) return;
      // An error event in the stream is the server's answer, not a broken line.
      if (error instanceof APIError || attempt >= STREAM_RESENDS) throw error;
    }
  }
}
