import { DeepgramClient } from '@deepgram/sdk';
import type { SampleRate } from '../audio/pcm.js';
import type { ConnectionEnd } from './deepgramEnds.js';
import { DeepgramWsTransport } from './deepgramTransport.js';

/** What every connection of one stream asks Deepgram for. */
export interface ListenSettings {
  apiKey: string;
  /** `wss://api.deepgram.com` unless given (a local server in tests). */
  baseUrl: string | undefined;
  model: string;
  language: string | undefined;
  sampleRate: SampleRate;
  endpointingMs: number;
  utteranceEndMs: number;
  connectTimeoutMs: number;
  /** Deepgram's `tag`: the call's id, so usage (and a local recogniser) can tell calls apart. */
  tag: string;
}

export interface ConnectionEvents {
  message(message: unknown): void;
  /** Called once, for a connection that had opened; one that never opens rejects `open` instead. */
  end(end: ConnectionEnd): void;
}

/** Raised by `open` when Deepgram could not be reached or would not take the stream. */
export class ConnectionEndError extends Error {
  constructor(readonly end: ConnectionEnd) {
    super(end.kind);
  }
}

type ListenSocket = Awaited<ReturnType<DeepgramClient['listen']['v1']['connect']>>;

/**
 * Opens one stream's connections to Deepgram's live `/v1/listen`, one at a
 * time. The SDK's own reconnecting is off: the stream decides when to try
 * again and what audio to send first, and the SDK would resend none.
 */
export class DeepgramConnector {
  private readonly client: DeepgramClient;
  private lastTransport: DeepgramWsTransport | undefined;

  constructor(private readonly settings: ListenSettings) {
    this.client = new DeepgramClient({
      apiKey: settings.apiKey,
      ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
      reconnect: false,
      transportFactory: (url, headers, request) =>
        (this.lastTransport = new DeepgramWsTransport(url, headers, request.protocols)),
    });
  }

  /** Resolves once the stream is open; rejects with a ConnectionEndError if it never opens. */
  async open(events: ConnectionEvents): Promise<DeepgramConnection> {
    const s = this.settings;
    const socket = await this.client.listen.v1.connect({
      model: s.model,
      ...(s.language ? { language: s.language } : {}),
      encoding: 'linear16',
      sample_rate: s.sampleRate,
      channels: 1,
      interim_results: 'true',
      endpointing: s.endpointingMs,
      utterance_end_ms: s.utteranceEndMs,
      vad_events: 'true',
      punctuate: 'true',
      tag: s.tag,
      reconnectAttempts: 0,
      connectionTimeoutInSeconds: s.connectTimeoutMs / 1000,
    });
    return new Promise((resolve, reject) => {
      let opened = false;
      const connection = new DeepgramConnection(socket, (end) => {
        if (opened) events.end(end);
        else reject(new ConnectionEndError(end));
      });
      socket.on('open', () => {
        opened = true;
        resolve(connection);
      });
      socket.on('message', (message) => {
        if (!connection.isEnded) events.message(message);
      });
      socket.on('close', (event) =>
        connection.finish({ kind: 'closed', code: event.code, reason: event.reason }),
      );
      socket.on('error', (error) => {
        const refusal = connection.transport?.refusal;
        connection.finish(
          refusal ? { kind: 'refused', ...refusal } : { kind: 'failed', message: error.message },
        );
      });
      socket.connect();
      // The SDK builds the transport inside connect(), before its first await.
      connection.transport = this.lastTransport;
    });
  }
}

/** One open websocket to Deepgram. */
export class DeepgramConnection {
  transport: DeepgramWsTransport | undefined;
  private ended = false;

  constructor(
    private readonly socket: ListenSocket,
    private readonly onEnd: (end: ConnectionEnd) => void,
  ) {}

  get isEnded(): boolean {
    return this.ended;
  }

  /** False when the socket is no longer open: its end is being reported. */
  sendAudio(bytes: Buffer): boolean {
    return this.send(() => this.socket.sendMedia(bytes));
  }

  sendControl(type: 'KeepAlive' | 'CloseStream' | 'Finalize'): boolean {
    return this.send(() => {
      if (type === 'KeepAlive') this.socket.sendKeepAlive({ type });
      else if (type === 'CloseStream') this.socket.sendCloseStream({ type });
      else this.socket.sendFinalize({ type });
    });
  }

  private send(write: () => void): boolean {
    if (this.ended) return false;
    try {
      write();
      return true;
    } catch {
      // The SDK throws once the socket has closed; audio sent from the leg's event must not.
      return false;
    }
  }

  /** Records the end once and reports it; later closes and errors of the same socket are echoes. */
  finish(end: ConnectionEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd(end);
    this.release();
  }

  /** Lets go of the connection without waiting for Deepgram: its end is not reported. */
  dispose(): void {
    if (this.ended) return;
    this.ended = true;
    this.release();
  }

  private release(): void {
    try {
      this.socket.close();
    } catch {
      // Already closed: nothing left to release.
    }
    this.transport?.terminate();
  }
}
