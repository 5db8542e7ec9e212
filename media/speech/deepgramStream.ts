import type { Logger } from 'pino';
import type { CallLeg } from '../telephony/callLeg.js';
import { AudioBacklog } from './deepgramBacklog.js';
import {
  ConnectionEndError,
  type DeepgramConnection,
  type DeepgramConnector,
} from './deepgramConnection.js';
import { describeEnd, isPermanent, type ConnectionEnd } from './deepgramEnds.js';
import { isUtteranceEnd, messageType, readResults } from './deepgramResults.js';
import { UtteranceAssembler } from './deepgramUtterance.js';
import { TranscriberError, type LiveTranscription, type Transcript } from './transcriber.js';

export interface StreamTiming {
  /** Tries after a connection is lost (or the first fails) before the stream gives up. */
  reconnectAttempts: number;
  reconnectDelayMs: number;
  maxReconnectDelayMs: number;
  /** Most audio kept for a new connection to hear again. */
  backlogMs: number;
  /** Silence on the socket after which a KeepAlive goes; Deepgram hangs up after 10 s of nothing. */
  keepAliveMs: number;
  /** How long close() waits for Deepgram's last results. */
  closeTimeoutMs: number;
  /** The `utterance_end_ms` asked of Deepgram: a pause this long ends an utterance. */
  utteranceEndMs: number;
}

/**
 * `connecting`: a connection is being opened; `waiting`: before the next
 * try; `closing`: CloseStream sent, last results awaited; `stopped`: for good.
 */
type Phase = 'connecting' | 'open' | 'waiting' | 'closing' | 'stopped';

/**
 * One leg's far-end audio streamed to Deepgram, its results as transcripts,
 * one final per utterance. Audio that Deepgram has not finalized is kept,
 * so a dropped connection costs no words: the next one hears that audio
 * again before the live audio, and what was finalized stays with the stream.
 */
export class DeepgramStream implements LiveTranscription {
  private phase: Phase = 'connecting';
  private connection: DeepgramConnection | undefined;
  private readonly backlog: AudioBacklog;
  private readonly utterance: UtteranceAssembler;
  /** Where the open connection's audio begins, in samples of the leg's audio since start. */
  private origin = 0;
  private failures = 0;
  private lastSentAt = Date.now();
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly keepAliveTimer: NodeJS.Timeout;
  private readonly transcriptListeners: Array<(t: Transcript) => void> = [];
  private readonly errorListeners: Array<(error: TranscriberError) => void> = [];
  private failure: TranscriberError | undefined;
  private closing: Promise<void> | undefined;
  private lastConnectionEnded: (() => void) | undefined;

  constructor(
    private readonly leg: CallLeg,
    private readonly connector: DeepgramConnector,
    private readonly timing: StreamTiming,
    private readonly log: Logger,
    private readonly redact: (text: string) => string,
  ) {
    this.backlog = new AudioBacklog(Math.round((leg.sampleRate * timing.backlogMs) / 1000));
    this.utterance = new UtteranceAssembler(timing.utteranceEndMs / 1000);
    leg.on('audio', this.onAudio);
    this.keepAliveTimer = setInterval(
      () => this.keepAlive(),
      Math.min(1000, timing.keepAliveMs / 2),
    ).unref();
    this.connect();
  }

  onTranscript(listener: (t: Transcript) => void): void {
    this.transcriptListeners.push(listener);
  }

  onError(listener: (error: TranscriberError) => void): void {
    const failure = this.failure;
    if (failure) queueMicrotask(() => listener(failure));
    else this.errorListeners.push(listener);
  }

  close(): Promise<void> {
    return (this.closing ??= this.shutdown());
  }

  private readonly onAudio = (frame: Int16Array): void => {
    const bytes = this.backlog.append(frame);
    if (this.phase === 'open' && this.connection?.sendAudio(bytes)) this.lastSentAt = Date.now();
  };

  private connect(): void {
    this.phase = 'connecting';
    this.connector
      .open({
        message: (message) => this.onMessage(message),
        end: (end) => this.onConnectionEnd(end),
      })
      .then(
        (connection) => {
          if (this.phase !== 'connecting') return connection.dispose();
          this.opened(connection);
        },
        (error: unknown) => {
          if (this.phase !== 'connecting') return;
          const end: ConnectionEnd =
            error instanceof ConnectionEndError
              ? error.end
              : { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
          this.recover(end);
        },
      );
  }

  private opened(connection: DeepgramConnection): void {
    this.connection = connection;
    this.phase = 'open';
    this.origin = this.backlog.start;
    const lostSamples = this.backlog.takeOverflow();
    if (lostSamples > 0) {
      const lostMs = Math.round((lostSamples * 1000) / this.leg.sampleRate);
      this.log.warn(
        { lostMs },
        'deepgram: audio lost while reconnecting, more than the backlog holds',
      );
    }
    const frames = this.backlog.frames;
    for (const bytes of frames) connection.sendAudio(bytes);
    this.lastSentAt = Date.now();
    const resentBytes = frames.reduce((n, bytes) => n + bytes.length, 0);
    const resentMs = Math.round((resentBytes * 500) / this.leg.sampleRate);
    this.log.info({ attempt: this.failures + 1, resentMs }, 'deepgram: stream open');
  }

  private onMessage(message: unknown): void {
    if (this.phase === 'stopped') return;
    if (isUtteranceEnd(message)) return this.emit(this.utterance.utteranceEnd());
    const result = readResults(message);
    if (!result) {
      this.log.debug({ type: messageType(message) }, 'deepgram: event');
      return;
    }
    // Results mean the connection works: a later drop starts a fresh count of tries.
    this.failures = 0;
    if (result.final)
      this.backlog.release(this.origin + Math.round(result.end * this.leg.sampleRate));
    this.emit(this.utterance.result(result));
  }

  private emit(transcript: Transcript | undefined): void {
    if (!transcript) return;
    for (const listener of this.transcriptListeners) listener(transcript);
  }

  private onConnectionEnd(end: ConnectionEnd): void {
    this.connection = undefined;
    if (this.phase === 'closing') return this.lastConnectionEnded?.();
    if (this.phase !== 'open') return;
    // Audio let go while connected had reached Deepgram; only what the outage drops is lost.
    this.backlog.takeOverflow();
    this.recover(end);
  }

  private recover(end: ConnectionEnd): void {
    const cause = this.redact(describeEnd(end));
    if (isPermanent(end)) return this.fail(cause, false);
    this.failures += 1;
    if (this.failures > this.timing.reconnectAttempts) {
      const tries = this.timing.reconnectAttempts;
      return this.fail(`${cause}; gave up after ${tries} reconnect attempts`, true);
    }
    const delayMs = Math.min(
      this.timing.maxReconnectDelayMs,
      this.timing.reconnectDelayMs * 2 ** (this.failures - 1),
    );
    this.phase = 'waiting';
    this.log.warn({ attempt: this.failures, delayMs, cause }, 'deepgram: reconnecting');
    this.retryTimer = setTimeout(() => this.connect(), delayMs).unref();
  }

  private fail(message: string, retryable: boolean): void {
    const error = new TranscriberError(message, retryable);
    // Words Deepgram finalized were heard: they come out before the stream stops.
    this.emit(this.utterance.flush());
    this.stop();
    this.failure = error;
    this.log.error({ cause: message, retryable }, 'deepgram: transcription stopped');
    for (const listener of this.errorListeners.splice(0)) listener(error);
  }

  private keepAlive(): void {
    if (this.phase !== 'open' || !this.connection) return;
    if (Date.now() - this.lastSentAt < this.timing.keepAliveMs) return;
    if (this.connection.sendControl('KeepAlive')) this.lastSentAt = Date.now();
  }

  private async shutdown(): Promise<void> {
    this.leg.off('audio', this.onAudio);
    const connection = this.connection;
    if (this.phase === 'open' && connection) {
      this.phase = 'closing';
      const ended = new Promise<void>((resolve) => (this.lastConnectionEnded = resolve));
      if (connection.sendControl('CloseStream')) {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), this.timing.closeTimeoutMs);
        });
        if (await Promise.race([ended.then(() => false), timedOut]))
          this.log.warn(
            { timeoutMs: this.timing.closeTimeoutMs },
            'deepgram: no close after CloseStream',
          );
        clearTimeout(timer);
      }
    }
    // Deepgram's last results may leave an utterance without its end: it ends with the stream.
    if (this.phase !== 'stopped') this.emit(this.utterance.flush());
    this.stop();
  }

  private stop(): void {
    this.phase = 'stopped';
    this.leg.off('audio', this.onAudio);
    clearInterval(this.keepAliveTimer);
    clearTimeout(this.retryTimer);
    this.connection?.dispose();
    this.connection = undefined;
  }
}
