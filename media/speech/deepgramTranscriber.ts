import pino, { type Logger } from 'pino';
import type { CallLeg } from '../telephony/callLeg.js';
import { DeepgramConnector } from './deepgramConnection.js';
import { DeepgramStream, type StreamTiming } from './deepgramStream.js';
import type { LiveTranscription, Transcriber } from './transcriber.js';

export interface DeepgramTranscriberOptions {
  apiKey: string;
  /** Deepgram's live endpoint unless given, e.g. `ws://127.0.0.1:PORT` for a local server. */
  baseUrl?: string;
  /** Default `nova-3`. */
  model?: string;
  /** Deepgram's language code, e.g. `en-US`; Deepgram's default (English) when absent. */
  language?: string;
  /** Silence that ends a piece of speech. Default 300 ms: menus pause between options. */
  endpointingMs?: number;
  /** Gap after the last word before Deepgram reports an UtteranceEnd (1000 at least). */
  utteranceEndMs?: number;
  log?: Logger;
  reconnect?: { attempts?: number; initialDelayMs?: number; maxDelayMs?: number };
  /** Most unfinalized audio kept across a reconnect. Default 10 s. */
  backlogMs?: number;
  keepAliveMs?: number;
  closeTimeoutMs?: number;
  connectTimeoutMs?: number;
}

const DEFAULT_TIMING: StreamTiming = {
  reconnectAttempts: 5,
  reconnectDelayMs: 250,
  maxReconnectDelayMs: 4000,
  backlogMs: 10_000,
  keepAliveMs: 3000,
  closeTimeoutMs: 3000,
  utteranceEndMs: 1000,
};

/**
 * Live speech-to-text through Deepgram's streaming API: each leg's far-end
 * audio as linear16 at the leg's rate; interim transcripts as the words
 * come, one final transcript per utterance. The API key goes only into the
 * connection's Authorization header; it is scrubbed from every message this
 * logs or raises.
 */
export class DeepgramTranscriber implements Transcriber {
  readonly name = 'deepgram';
  private readonly log: Logger;
  private readonly timing: StreamTiming;

  constructor(private readonly options: DeepgramTranscriberOptions) {
    if (!options.apiKey.trim()) throw new Error('Deepgram needs an API key');
    this.log = options.log ?? pino({ level: 'silent' });
    const r = options.reconnect ?? {};
    this.timing = {
      reconnectAttempts: r.attempts ?? DEFAULT_TIMING.reconnectAttempts,
      reconnectDelayMs: r.initialDelayMs ?? DEFAULT_TIMING.reconnectDelayMs,
      maxReconnectDelayMs: r.maxDelayMs ?? DEFAULT_TIMING.maxReconnectDelayMs,
      backlogMs: options.backlogMs ?? DEFAULT_TIMING.backlogMs,
      keepAliveMs: options.keepAliveMs ?? DEFAULT_TIMING.keepAliveMs,
      closeTimeoutMs: options.closeTimeoutMs ?? DEFAULT_TIMING.closeTimeoutMs,
      // Deepgram accepts no less than 1000.
      utteranceEndMs: Math.max(1000, options.utteranceEndMs ?? DEFAULT_TIMING.utteranceEndMs),
    };
  }

  start(leg: CallLeg): LiveTranscription {
    const o = this.options;
    const connector = new DeepgramConnector({
      apiKey: o.apiKey,
      baseUrl: o.baseUrl,
      model: o.model ?? 'nova-3',
      language: o.language,
      sampleRate: leg.sampleRate,
      endpointingMs: o.endpointingMs ?? 300,
      utteranceEndMs: this.timing.utteranceEndMs,
      connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
      tag: leg.callId,
    });
    const log = this.log.child({ callId: leg.callId, transcriber: this.name });
    return new DeepgramStream(leg, connector, this.timing, log, (text) => this.redact(text));
  }

  private redact(text: string): string {
    return text.split(this.options.apiKey).join('[api key]');
  }
}
