import { createHash, randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/**
 * A local stand-in for Deepgram's live `/v1/listen`: the same handshake
 * (Token auth, query parameters, HTTP errors with `dg-error`), the same
 * messages (Results, Metadata, SpeechStarted, UtteranceEnd) and the same
 * control messages (KeepAlive, Finalize, CloseStream). It recognises no
 * speech: a script says which words the line's audio holds and when, and
 * the audio itself says where in the line it is (see `stampedAudio`), so a
 * client that sends some audio again after a reconnect is heard the way
 * Deepgram would hear it.
 */

/** A word on the line, in seconds of the line's audio. */
export interface ScriptedWord {
  /** As Deepgram would punctuate it: `Hello,` */
  text: string;
  start: number;
  end: number;
}

/** Words said one after another from `at` seconds, `wordSeconds` each. */
export function utterance(at: number, text: string, wordSeconds = 0.3): ScriptedWord[] {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((word, i) => ({
      text: word,
      start: at + i * wordSeconds,
      end: at + (i + 1) * wordSeconds - 0.05,
    }));
}

const FRAME_SECONDS = 0.02;
const STAMP = 0x4447;

/**
 * 20 ms frames of the line's audio from `fromSeconds` to `toSeconds`, each
 * carrying its place in the line, as a real recogniser would know it from
 * the sound itself.
 */
export function stampedAudio(rate: number, fromSeconds: number, toSeconds: number): Int16Array[] {
  const frames: Int16Array[] = [];
  const first = Math.round(fromSeconds / FRAME_SECONDS);
  const last = Math.round(toSeconds / FRAME_SECONDS);
  for (let n = first; n < last; n++) {
    const frame = new Int16Array(Math.round(rate * FRAME_SECONDS));
    frame[0] = STAMP;
    frame[1] = n & 0x7fff;
    frame[2] = n >> 15;
    frames.push(frame);
  }
  return frames;
}

export interface Refusal {
  status: number;
  errCode: string;
  errMsg: string;
}

export interface DeepgramServerOptions {
  apiKey: string;
  script?: ScriptedWord[];
  /** Breaks connection `n` (from 0), with no close frame, once it has had this much audio. */
  dropAfterSeconds?: (connection: number) => number | undefined;
  /** Answers connection `n`'s upgrade with this HTTP error instead. */
  refuse?: (connection: number) => Refusal | undefined;
  /** Longest speech left unfinalized without a pause; also how often silence is finalized. Default 3 s. */
  maxSegmentSeconds?: number;
  /** Audio between interim results. Default 0.25 s. */
  interimEverySeconds?: number;
  /**
   * Finalizes at a pause without `speech_final`, as Deepgram does when line
   * noise hides the pause from its endpointing: only UtteranceEnd then says
   * the utterance is over.
   */
  missEndpoints?: boolean;
  /** Closes 1011 NET-0001 after this long with neither audio nor KeepAlive. Default 10 s, as Deepgram. */
  idleTimeoutMs?: number;
}

/** What the server saw of one connection attempt. */
export interface ListenConnection {
  index: number;
  query: URLSearchParams;
  /** Headers of the upgrade request, as received. */
  headers: IncomingMessage['headers'];
  refusedWith: number | undefined;
  audioSeconds: number;
  /** Where in the line the first audio of this connection was. */
  firstHeardAt: number | undefined;
  /** Text messages from the client, by type. */
  controls: string[];
  /** JSON messages sent to the client. */
  sent: Array<Record<string, unknown>>;
  closedWith: number | undefined;
}

const MODELS = new Set(['nova-3', 'nova-3-general', 'nova-2', 'nova-2-phonecall', 'nova', 'base']);
const ENCODINGS = new Set([
  'linear16',
  'linear32',
  'flac',
  'alaw',
  'mulaw',
  'amr-nb',
  'amr-wb',
  'opus',
  'speex',
  'g729',
]);

export class DeepgramServer {
  readonly connections: ListenConnection[] = [];
  private readonly http = createServer((_req, res) => res.writeHead(426).end());
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();

  private constructor(private readonly options: DeepgramServerOptions) {
    this.http.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  static async start(options: DeepgramServerOptions): Promise<DeepgramServer> {
    const server = new DeepgramServer(options);
    await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get url(): string {
    const { port } = this.http.address() as AddressInfo;
    return `ws://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://deepgram.invalid');
    const record: ListenConnection = {
      index: this.connections.length,
      query: url.searchParams,
      headers: req.headers,
      refusedWith: undefined,
      audioSeconds: 0,
      firstHeardAt: undefined,
      controls: [],
      sent: [],
      closedWith: undefined,
    };
    this.connections.push(record);
    const refusal = this.refusal(req, url, record.index);
    if (refusal) {
      record.refusedWith = refusal.status;
      return refuse(socket, refusal);
    }
    const requestId = randomUUID();
    this.wss.once('headers', (headers) => headers.push(`dg-request-id: ${requestId}`));
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      new ListenSession(ws, record, this.options, requestId);
    });
  }

  private refusal(req: IncomingMessage, url: URL, index: number): Refusal | undefined {
    if (url.pathname !== '/v1/listen')
      return { status: 404, errCode: 'NOT_FOUND', errMsg: `No such endpoint: ${url.pathname}` };
    const auth = req.headers.authorization ?? '';
    const [scheme, key] = auth.split(' ');
    if (scheme?.toLowerCase() !== 'token' || key !== this.options.apiKey)
      return {
        status: 401,
        errCode: 'INVALID_AUTH',
        errMsg: 'Invalid credentials.',
      };
    const scripted = this.options.refuse?.(index);
    if (scripted) return scripted;
    const q = url.searchParams;
    const model = q.get('model') ?? 'base';
    if (!MODELS.has(model))
      return {
        status: 400,
        errCode: 'Bad Request',
        errMsg: `No such model/language/tier combination found: model=${model}`,
      };
    const encoding = q.get('encoding');
    if (encoding !== null && !ENCODINGS.has(encoding))
      return { status: 400, errCode: 'Bad Request', errMsg: `Unsupported encoding: ${encoding}` };
    if (encoding !== null && !/^\d+$/.test(q.get('sample_rate') ?? ''))
      return {
        status: 400,
        errCode: 'Bad Request',
        errMsg: 'sample_rate is required when encoding is set',
      };
    return undefined;
  }
}

function refuse(socket: Duplex, refusal: Refusal): void {
  const body = JSON.stringify({
    err_code: refusal.errCode,
    err_msg: refusal.errMsg,
    request_id: randomUUID(),
  });
  socket.end(
    [
      `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Error'}`,
      'content-type: application/json',
      `content-length: ${Buffer.byteLength(body)}`,
      `dg-request-id: ${randomUUID()}`,
      `dg-error: ${refusal.errMsg}`,
      'connection: close',
      '',
      body,
    ].join('\r\n'),
  );
}

interface HeardWord {
  word: string;
  punctuated_word: string;
  start: number;
  end: number;
  confidence: number;
}

/** One open connection: hears the audio against the script and answers as Deepgram does. */
class ListenSession {
  private readonly rate: number;
  private readonly frameBytes: number;
  private pending: Buffer = Buffer.alloc(0);
  private readonly audioHash = createHash('sha256');
  private readonly modelUuid = randomUUID();
  private frames = 0;
  /** Where the audio heard so far runs without a gap from, and to, in the line's seconds. */
  private runFrom: number | undefined;
  private runTo: number | undefined;
  private readonly heard = new Set<ScriptedWord>();
  private segmentStart = 0;
  private segment: HeardWord[] = [];
  private lastWordEnd: number | undefined;
  private speaking = false;
  private interimDue = false;
  private lastInterimAt = 0;
  private utteranceEndSentFor: number | undefined;
  private idle: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly record: ListenConnection,
    private readonly options: DeepgramServerOptions,
    private readonly requestId: string,
  ) {
    this.rate = Number(record.query.get('sample_rate') ?? 16000);
    this.frameBytes = Math.round(this.rate * FRAME_SECONDS) * 2;
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    // A client that vanishes resets the socket; that ends the session, nothing more.
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      record.closedWith ??= code;
      clearTimeout(this.idle);
    });
    this.touch();
  }

  private get now(): number {
    return this.frames * FRAME_SECONDS;
  }

  private flag(name: string): boolean {
    return this.record.query.get(name) === 'true';
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closing) return;
    const bytes = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data);
    this.touch();
    if (!isBinary) return this.control(bytes.toString('utf8'));
    this.audioHash.update(bytes);
    this.pending = Buffer.concat([this.pending, bytes]);
    while (this.pending.length >= this.frameBytes && !this.closing) {
      this.hearFrame(this.pending);
      this.pending = this.pending.subarray(this.frameBytes);
    }
  }

  private control(text: string): void {
    let type = 'invalid';
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && 'type' in parsed) type = String(parsed.type);
    } catch {
      // Deepgram ignores text it cannot read; the record keeps it as `invalid`.
    }
    this.record.controls.push(type);
    if (type === 'Finalize') this.finalize(true, true);
    else if (type === 'CloseStream') {
      this.finalize(this.segment.length > 0, false);
      this.send({
        type: 'Metadata',
        transaction_key: 'deprecated',
        request_id: this.requestId,
        sha256: this.audioHash.digest('hex'),
        created: new Date().toISOString(),
        duration: round(this.now),
        channels: 1,
        models: [this.modelUuid],
        model_info: { [this.modelUuid]: this.modelInfo() },
      });
      this.end(1000, '');
    }
  }

  /** Hears the 20 ms frame at the head of `pcm`. */
  private hearFrame(pcm: Buffer): void {
    const previous = this.runTo;
    const at =
      pcm.readInt16LE(0) === STAMP
        ? (pcm.readInt16LE(4) * 0x8000 + pcm.readInt16LE(2)) * FRAME_SECONDS
        : (previous ?? 0);
    if (previous === undefined || Math.abs(at - previous) > 1e-6) this.runFrom = at;
    this.record.firstHeardAt ??= at;
    this.runTo = at + FRAME_SECONDS;
    this.frames += 1;
    this.record.audioSeconds = this.now;
    // Connection time of the line's second `t`, for this unbroken run of audio.
    const toConnection = (t: number) => t - at + this.now - FRAME_SECONDS;
    this.hearWords(at, toConnection);
    this.decide();
    const dropAt = this.options.dropAfterSeconds?.(this.record.index);
    if (dropAt !== undefined && this.now >= dropAt - 1e-9) {
      this.closing = true;
      this.record.closedWith = 1006;
      this.ws.terminate();
    }
  }

  private hearWords(at: number, toConnection: (t: number) => number): void {
    const frameEnd = at + FRAME_SECONDS;
    for (const word of this.options.script ?? []) {
      if (this.heard.has(word)) continue;
      const inRun = word.start >= (this.runFrom ?? 0) - 1e-9;
      if (inRun && !this.speaking && word.start < frameEnd && this.flag('vad_events')) {
        this.speaking = true;
        this.send({
          type: 'SpeechStarted',
          channel: [0, 1],
          timestamp: round(toConnection(word.start)),
        });
      }
      if (word.end > frameEnd + 1e-9) continue;
      this.heard.add(word);
      // The start of this word was not in the audio received: Deepgram would not make it out.
      if (!inRun) continue;
      this.speaking = true;
      const plain = word.text.toLowerCase().replace(/[^\p{L}\p{N}']/gu, '');
      this.segment.push({
        word: plain,
        punctuated_word: word.text,
        start: round(toConnection(word.start)),
        end: round(toConnection(word.end)),
        confidence: 0.98,
      });
      this.lastWordEnd = toConnection(word.end);
      this.interimDue = true;
    }
  }

  /** After each frame: endpoint, long-segment final, interim, utterance end, as Deepgram paces them. */
  private decide(): void {
    const now = this.now;
    const endpointing = this.record.query.get('endpointing');
    const pauseSeconds = endpointing === 'false' ? undefined : Number(endpointing ?? 10) / 1000;
    const wordUnderway = (this.options.script ?? []).some(
      (w) => !this.heard.has(w) && w.start < (this.runTo ?? 0),
    );
    if (
      pauseSeconds !== undefined &&
      this.segment.length > 0 &&
      this.lastWordEnd !== undefined &&
      now - this.lastWordEnd >= pauseSeconds &&
      !wordUnderway
    ) {
      this.finalize(!this.options.missEndpoints, false);
      this.speaking = false;
    } else if (
      now - this.segmentStart >= (this.options.maxSegmentSeconds ?? 3) - 1e-9 &&
      !wordUnderway
    ) {
      // Finalized between words, never through one, so each final's span holds whole words.
      this.finalize(false, false);
    }
    const interimEvery = this.options.interimEverySeconds ?? 0.25;
    if (
      this.flag('interim_results') &&
      this.interimDue &&
      now - this.lastInterimAt >= interimEvery - 1e-9
    ) {
      this.results(false, false, false);
      this.lastInterimAt = now;
      this.interimDue = false;
    }
    const utteranceEndMs = Number(this.record.query.get('utterance_end_ms') ?? NaN);
    if (
      this.flag('interim_results') &&
      Number.isFinite(utteranceEndMs) &&
      this.lastWordEnd !== undefined &&
      this.utteranceEndSentFor !== this.lastWordEnd &&
      now - this.lastWordEnd >= utteranceEndMs / 1000 &&
      !wordUnderway
    ) {
      this.utteranceEndSentFor = this.lastWordEnd;
      this.send({ type: 'UtteranceEnd', channel: [0, 1], last_word_end: round(this.lastWordEnd) });
    }
  }

  private finalize(speechFinal: boolean, fromFinalize: boolean): void {
    this.results(true, speechFinal, fromFinalize);
    this.segmentStart = this.now;
    this.segment = [];
    this.interimDue = false;
    this.lastInterimAt = this.now;
  }

  private results(isFinal: boolean, speechFinal: boolean, fromFinalize: boolean): void {
    const punctuate = this.flag('punctuate') || this.flag('smart_format');
    const words = this.segment.map((w) => (punctuate ? w : { ...w, punctuated_word: undefined }));
    this.send({
      type: 'Results',
      channel_index: [0, 1],
      duration: round(this.now - this.segmentStart),
      start: round(this.segmentStart),
      is_final: isFinal,
      speech_final: speechFinal,
      channel: {
        alternatives: [
          {
            transcript: words.map((w) => w.punctuated_word ?? w.word).join(' '),
            confidence: words.length > 0 ? 0.98 : 0,
            words,
          },
        ],
      },
      metadata: {
        request_id: this.requestId,
        model_info: this.modelInfo(),
        model_uuid: this.modelUuid,
      },
      from_finalize: fromFinalize,
    });
  }

  private modelInfo(): Record<string, string> {
    const arch = this.record.query.get('model') ?? 'base';
    return { name: `general-${arch}`, version: '2025-01-01.0', arch };
  }

  private send(message: Record<string, unknown>): void {
    this.record.sent.push(message);
    this.ws.send(JSON.stringify(message));
  }

  private touch(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.end(1011, 'NET-0001'), this.options.idleTimeoutMs ?? 10_000);
  }

  private end(code: number, reason: string): void {
    this.closing = true;
    clearTimeout(this.idle);
    this.record.closedWith = code;
    this.ws.close(code, reason);
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
