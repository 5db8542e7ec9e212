import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/** Where Deepgram's live transcription is; the path the SDK appends to its base URL. */
export const LISTEN_PATH = '/v1/listen';

const BYTES_PER_SAMPLE: Record<string, number> = { linear16: 2, mulaw: 1, alaw: 1 };
const IDLE_CLOSE_MS = 10_000;

/**
 * Deepgram's live `/v1/listen`, answered from the carrier's own captions of
 * its SIP calls. A SIP line carries only sound and this machine has no
 * recogniser, so a worker transcribing a SIP call (STT_PROVIDER=deepgram,
 * DEEPGRAM_URL at the carrier) is told the words the carrier knows it is
 * playing, degraded as `--caption-wer` says, over Deepgram's real protocol:
 * the worker's Deepgram client, its reconnects and its utterance assembly
 * all run as they would against Deepgram. The connection's `tag` names the
 * call (the worker tags each stream with its call id).
 */
export class CaptionListen {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Set<ListenSession>>();

  /** Takes an HTTP upgrade for LISTEN_PATH: refuses it as Deepgram would, or opens a session. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://carrier');
    const refusal = refusalFor(req, url.searchParams);
    if (refusal) return refuse(socket, refusal.status, refusal.message);
    const callId = url.searchParams.get('tag')!;
    const bytesPerSecond =
      Number(url.searchParams.get('sample_rate')) *
      BYTES_PER_SAMPLE[url.searchParams.get('encoding')!]!;
    const requestId = randomUUID();
    this.wss.once('headers', (headers) => headers.push(`dg-request-id: ${requestId}`));
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new ListenSession(ws, bytesPerSecond, requestId, url.searchParams);
      const forCall = this.sessions.get(callId) ?? new Set<ListenSession>();
      forCall.add(session);
      this.sessions.set(callId, forCall);
      ws.on('close', () => {
        forCall.delete(session);
        if (forCall.size === 0 && this.sessions.get(callId) === forCall)
          this.sessions.delete(callId);
      });
    });
  }

  /** A caption of a call's far end, as the carrier plays it: every stream tagged with the call hears it. */
  caption(callId: string, text: string, final: boolean): void {
    for (const session of this.sessions.get(callId) ?? []) session.caption(text, final);
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}

function refusalFor(
  req: IncomingMessage,
  query: URLSearchParams,
): { status: number; message: string } | undefined {
  const [scheme, key] = (req.headers.authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'token' || !key)
    return {
      status: 401,
      message: 'Invalid credentials: an Authorization: Token header is needed',
    };
  if (!query.get('tag'))
    return {
      status: 400,
      message: 'tag is required: it names the carrier call whose captions this stream hears',
    };
  const encoding = query.get('encoding') ?? '';
  if (!(encoding in BYTES_PER_SAMPLE))
    return {
      status: 400,
      message: `Unsupported encoding: ${encoding || '(none)'}; this carrier hears linear16, mulaw or alaw`,
    };
  if (!/^[1-9][0-9]{3,5}$/.test(query.get('sample_rate') ?? ''))
    return { status: 400, message: 'sample_rate is required when encoding is set' };
  return undefined;
}

function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({
    err_code: 'Bad Request',
    err_msg: message,
    request_id: randomUUID(),
  });
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
      'content-type: application/json',
      `content-length: ${Buffer.byteLength(body)}`,
      `dg-error: ${message}`,
      'connection: close',
      '',
      body,
    ].join('\r\n'),
  );
}

/**
 * One stream: times captions in the seconds of audio it has been sent, as
 * Deepgram times words, so `start` and `duration` mean what they would.
 */
class ListenSession {
  private bytes = 0;
  private segmentStart = 0;
  /** The words of the utterance under way, not yet final. */
  private interim = '';
  private idle: NodeJS.Timeout | undefined;
  private readonly modelUuid = randomUUID();

  constructor(
    private readonly ws: WebSocket,
    private readonly bytesPerSecond: number,
    private readonly requestId: string,
    private readonly query: URLSearchParams,
  ) {
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    // A worker that vanishes resets the socket: that ends the session, nothing more.
    ws.on('error', () => undefined);
    ws.on('close', () => clearTimeout(this.idle));
    this.touch();
  }

  private get now(): number {
    return this.bytes / this.bytesPerSecond;
  }

  caption(text: string, final: boolean): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (!this.interim && this.query.get('vad_events') === 'true')
      this.send({ type: 'SpeechStarted', channel: [0, 1], timestamp: round(this.now) });
    if (final) {
      this.results(text, true, true, false);
      this.interim = '';
    } else if (this.query.get('interim_results') === 'true') {
      this.interim = text;
      this.results(text, false, false, false);
    } else this.interim = text;
  }

  private receive(data: RawData, isBinary: boolean): void {
    this.touch();
    const bytes = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data);
    if (isBinary) {
      this.bytes += bytes.length;
      return;
    }
    let type: unknown;
    try {
      type = (JSON.parse(bytes.toString('utf8')) as { type?: unknown }).type;
    } catch {
      return; // Deepgram ignores a text message it cannot read.
    }
    if (type === 'Finalize') {
      this.results(this.interim, true, false, true);
      this.interim = '';
    } else if (type === 'CloseStream') {
      if (this.interim) this.results(this.interim, true, false, false);
      this.send({
        type: 'Metadata',
        request_id: this.requestId,
        created: new Date().toISOString(),
        duration: round(this.now),
        channels: 1,
        models: [this.modelUuid],
      });
      clearTimeout(this.idle);
      this.ws.close(1000);
    }
  }

  /** One Results message over the audio since the last final; its words spread evenly across it. */
  private results(
    text: string,
    isFinal: boolean,
    speechFinal: boolean,
    fromFinalize: boolean,
  ): void {
    const start = this.segmentStart;
    const duration = Math.max(0, this.now - start);
    const spoken = text.split(/\s+/).filter(Boolean);
    const step = spoken.length > 0 ? duration / spoken.length : 0;
    this.send({
      type: 'Results',
      channel_index: [0, 1],
      start: round(start),
      duration: round(duration),
      is_final: isFinal,
      speech_final: speechFinal,
      from_finalize: fromFinalize,
      channel: {
        alternatives: [
          {
            transcript: spoken.join(' '),
            confidence: spoken.length > 0 ? 0.95 : 0,
            words: spoken.map((w, i) => ({
              word: w.toLowerCase().replace(/[^\p{L}\p{N}']/gu, ''),
              punctuated_word: w,
              start: round(start + i * step),
              end: round(start + (i + 1) * step),
              confidence: 0.95,
            })),
          },
        ],
      },
      metadata: { request_id: this.requestId, model_uuid: this.modelUuid },
    });
    if (isFinal) this.segmentStart = this.now;
  }

  private send(message: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Deepgram closes a stream that has had neither audio nor KeepAlive for ten seconds. */
  private touch(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.ws.close(1011, 'NET-0001'), IDLE_CLOSE_MS);
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
