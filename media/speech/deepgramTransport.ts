import type {
  DeepgramTransport,
  DeepgramTransportCloseEvent,
  DeepgramTransportMessage,
} from '@deepgram/sdk';
import type { IncomingMessage } from 'node:http';
import WebSocket, { type RawData } from 'ws';

/** Deepgram's HTTP answer when it will not open a stream (bad key, bad parameters, overload). */
export interface UpgradeRefusal {
  status: number;
  /** Deepgram's own words: the `dg-error` header, else the body's `err_msg`, else the body. */
  reason: string;
  requestId: string | undefined;
}

/** Enough of the refusal body to carry Deepgram's explanation, not a whole error page. */
const MAX_REFUSAL_BODY = 4096;
/** A refusal whose body never ends is still reported, with what arrived. */
const REFUSAL_BODY_TIMEOUT_MS = 2000;

/**
 * The SDK's own websocket reports a refused upgrade only as "Unexpected
 * server response: 401", dropping the `dg-error` header that says why.
 * This transport is the same `ws` connection, keeping the refusal so the
 * caller can tell a rejected key from a network fault.
 */
export class DeepgramWsTransport implements DeepgramTransport {
  refusal: UpgradeRefusal | undefined;
  private readonly ws: WebSocket;
  private readonly openListeners: Array<() => void> = [];
  private readonly messageListeners: Array<(message: DeepgramTransportMessage) => void> = [];
  private readonly errorListeners: Array<(error: Error) => void> = [];
  private readonly closeListeners: Array<(event: DeepgramTransportCloseEvent) => void> = [];
  /** Set once an error or close has been reported: the SDK expects one end per connection. */
  private ended = false;

  constructor(url: string, headers: Record<string, string>, protocols: string[] = []) {
    this.ws = new WebSocket(url, protocols, { headers });
    this.ws.on('open', () => this.openListeners.forEach((l) => l()));
    this.ws.on('message', (data, isBinary) => {
      const message = isBinary ? toArrayBuffer(data) : rawText(data);
      this.messageListeners.forEach((l) => l(message));
    });
    this.ws.on('unexpected-response', (_req, res) => this.refused(res));
    this.ws.on('error', (error) => this.end(() => this.errorListeners.forEach((l) => l(error))));
    this.ws.on('close', (code, reason) =>
      this.end(() =>
        this.closeListeners.forEach((l) => l({ code, reason: reason.toString('utf8') })),
      ),
    );
  }

  send(data: DeepgramTransportMessage): void | Promise<void> {
    if (typeof data === 'string') return this.ws.send(data);
    if (data instanceof Blob)
      return data.arrayBuffer().then((buffer) => this.ws.send(Buffer.from(buffer)));
    if (data instanceof ArrayBuffer) return this.ws.send(Buffer.from(data));
    this.ws.send(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }

  onOpen(listener: () => void): void {
    this.openListeners.push(listener);
  }

  onMessage(listener: (message: DeepgramTransportMessage) => void): void {
    this.messageListeners.push(listener);
  }

  onError(listener: (error: Error) => void): void {
    this.errorListeners.push(listener);
  }

  onClose(listener: (event: DeepgramTransportCloseEvent) => void): void {
    this.closeListeners.push(listener);
  }

  isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close(code = 1000, reason?: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code, reason);
    else this.terminate();
  }

  /** Drops the connection at once: no closing handshake to wait for. */
  terminate(): void {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
  }

  private refused(res: IncomingMessage): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      res.removeAllListeners('data');
      const body = Buffer.concat(chunks).toString('utf8');
      this.refusal = {
        status: res.statusCode ?? 0,
        reason: refusalReason(res, body),
        requestId: header(res, 'dg-request-id'),
      };
      const error = new Error(`Deepgram refused the stream: HTTP ${this.refusal.status}`);
      this.end(() => this.errorListeners.forEach((l) => l(error)));
      this.terminate();
    };
    const timer = setTimeout(finish, REFUSAL_BODY_TIMEOUT_MS);
    res.on('data', (chunk: Buffer) => {
      if (size < MAX_REFUSAL_BODY) chunks.push(chunk.subarray(0, MAX_REFUSAL_BODY - size));
      size += chunk.length;
    });
    res.once('end', finish);
    res.once('error', finish);
  }

  private end(report: () => void): void {
    if (this.ended) return;
    this.ended = true;
    report();
  }
}

function refusalReason(res: IncomingMessage, body: string): string {
  const fromHeader = header(res, 'dg-error');
  if (fromHeader) return fromHeader;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const { err_msg: message, err_code: code } = parsed as Record<string, unknown>;
      if (typeof message === 'string')
        return typeof code === 'string' ? `${code}: ${message}` : message;
    }
  } catch {
    // Not JSON: the text itself is the best explanation there is.
  }
  return body.trim() || (res.statusMessage ?? '');
}

function header(res: IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function rawText(data: RawData): string {
  return rawBuffer(data).toString('utf8');
}

function toArrayBuffer(data: RawData): ArrayBuffer {
  const buffer = rawBuffer(data);
  return buffer.buffer.slice(
    buffer.byteOffset,
    buffer.byteOffset + buffer.byteLength,
  ) as ArrayBuffer;
}

function rawBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
