import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { toBytes } from '../media/audio/pcm.js';
import type { LineConditions } from './line/lineConditions.js';
import {
  PROTOCOL_PATH,
  type CarrierMessage,
  type ParsedCallerMessage,
} from '../media/telephony/sim/protocol.js';
import { readCallerMessage } from '../media/telephony/sim/readCallerMessage.js';
import type { ClipRenderer } from './audio/clipRenderer.js';
import { SimCall, type LegChannel } from './call/simCall.js';
import type { LoadedScenario } from './scenario/load.js';
import type { PhoneEndpoint, SimulatedPhones } from './userPhones.js';

export interface CarrierServerOptions {
  scenarios: LoadedScenario[];
  renderer: ClipRenderer;
  phones: SimulatedPhones;
  truthDir: string;
  host?: string;
  port?: number;
  orphanTimeoutMs?: number;
  /** Share of caption words the stand-in recogniser gets wrong. */
  captionWer?: number;
  /** Network conditions for every call's audio, instead of each scenario's own. */
  line?: LineConditions;
  /** How long an ended call stays visible to attach and status requests. */
  retainEndedMs?: number;
  log?: (line: Record<string, unknown>) => void;
}

/**
 * The simulated carrier as a network service: callers dial and attach over
 * WebSocket, and a small HTTP surface reports calls and scenarios.
 */
export class CarrierServer {
  private readonly calls = new Map<string, SimCall>();
  private readonly byNumber = new Map<string, LoadedScenario>();
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly upgrades = new Map<
    string,
    (req: IncomingMessage, socket: Duplex, head: Buffer) => void
  >();

  constructor(private readonly options: CarrierServerOptions) {
    for (const s of options.scenarios) this.byNumber.set(s.scenario.number, s);
    this.http = createServer((req, res) => this.handleHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.wss.on('connection', (socket) => this.handleSocket(socket));
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const { pathname } = new URL(req.url ?? '/', 'http://carrier');
      if (pathname === PROTOCOL_PATH)
        return this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws));
      const other = this.upgrades.get(pathname);
      if (other) return other(req, socket, head);
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    });
  }

  /** Serves another WebSocket endpoint on the carrier's port (the SIP face's recogniser). */
  serveUpgrade(
    pathname: string,
    handler: (req: IncomingMessage, socket: Duplex, head: Buffer) => void,
  ): void {
    this.upgrades.set(pathname, handler);
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', resolve);
    });
    const { address, port } = this.http.address() as AddressInfo;
    return `ws://${address}:${port}`;
  }

  async close(): Promise<void> {
    for (const call of this.calls.values()) call.hangupByCaller('carrier shut down');
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private log(line: Record<string, unknown>): void {
    this.options.log?.(line);
  }

  private handleHttp(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://carrier');
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return reply(405, { error: 'only GET is served here' });
    if (url.pathname === '/health') return reply(200, { ok: true, scenarios: this.byNumber.size });
    if (url.pathname === '/v1/scenarios') {
      return reply(
        200,
        this.options.scenarios.map(({ scenario, file }) => ({
          id: scenario.id,
          company: scenario.company,
          number: scenario.number,
          file,
        })),
      );
    }
    const match = /^\/v1\/calls\/([^/]+)$/.exec(url.pathname);
    if (match) {
      const call = this.calls.get(decodeURIComponent(match[1]!));
      if (!call) return reply(404, { error: `no call ${match[1]} on this carrier` });
      return reply(200, {
        id: call.id,
        state: call.lineState,
        bridged: call.isBridged,
        truthFile: call.truth.file,
      });
    }
    reply(404, { error: `nothing at ${url.pathname}` });
  }

  private handleSocket(socket: WebSocket): void {
    let call: SimCall | undefined;
    let unregister: (() => void) | undefined;
    const channel: LegChannel = {
      send: (message) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      },
      sendAudio: (frame) => {
        if (socket.readyState === socket.OPEN) socket.send(toBytes(frame), { binary: true });
      },
    };
    const fail = (message: string, id?: number) =>
      channel.send({ type: 'error', message, ...(id !== undefined ? { id } : {}) });

    socket.on('message', (data: RawData, isBinary: boolean) => {
      // Caller audio: the carrier recognises speech from the transcript sent with it, so the samples only pace it.
      if (isBinary) return;
      const read = readCallerMessage(data);
      if (!read.ok) return fail(read.error, read.id);
      const parsed = read.message;
      if (parsed.type === 'register') {
        if (call || unregister) return fail('this socket is already in use');
        unregister = this.options.phones.register(parsed.device, phoneEndpoint(channel));
        channel.send({ type: 'registered', device: parsed.device });
        return;
      }
      if (parsed.type === 'answer' || parsed.type === 'reject') {
        if (!unregister) return fail('register a phone first', parsed.id);
        if (!this.options.phones.respond(parsed.callId, parsed.type === 'answer')) {
          return fail(`call ${parsed.callId} is not ringing this phone`, parsed.id);
        }
        return channel.send({ type: 'ack', id: parsed.id });
      }
      if (parsed.type === 'dial' || parsed.type === 'attach') {
        if (call || unregister) return fail('this socket is already in use');
        const placed =
          parsed.type === 'dial'
            ? this.placeCall(parsed)
            : { call: this.calls.get(parsed.callId), created: false };
        call = placed.call;
        if (!call) return fail(`no call ${parsed.callId} on this carrier`);
        call.attach(channel);
        channel.send({
          type: 'attached',
          callId: call.id,
          sampleRate: call.sampleRate,
          state: call.lineState,
          bridged: call.isBridged,
        });
        // Only now, with the caller listening, does the line start: it hears the first ring.
        if (placed.created) call.start();
        return;
      }
      if (!call) return fail('dial or attach first', parsed.id);
      this.handleCallerMessage(call, parsed, channel);
    });
    const release = () => {
      call?.detach(channel);
      unregister?.();
    };
    socket.on('close', release);
    socket.on('error', release);
  }

  private handleCallerMessage(
    call: SimCall,
    message: Exclude<
      ParsedCallerMessage,
      { type: 'dial' | 'attach' | 'register' | 'answer' | 'reject' }
    >,
    channel: LegChannel,
  ): void {
    const ack = (): void => channel.send({ type: 'ack', id: message.id } satisfies CarrierMessage);
    switch (message.type) {
      case 'dtmf':
        call.receiveDtmf(message.digits);
        return ack();
      case 'speech-start':
        call.speechStarted(message.id, message.text);
        return ack();
      case 'speech-end':
        call.speechEnded(message.speech);
        return ack();
      case 'hangup':
        call.hangupByCaller();
        return ack();
      case 'bridge':
        call
          .bridge(message.device, message.id)
          .then(ack, (e: Error) =>
            channel.send({ type: 'error', id: message.id, message: e.message }),
          );
        return;
    }
  }

  /** A call the carrier holds, by id: the SIP face's way to it. */
  findCall(callId: string): SimCall | undefined {
    return this.calls.get(callId);
  }

  /** Places a call to `to`, or finds the one already placed with this id; the caller starts a new one once attached. */
  placeCall(
    message: Pick<Extract<ParsedCallerMessage, { type: 'dial' }>, 'callId' | 'to' | 'sampleRate'>,
  ): {
    call: SimCall;
    created: boolean;
  } {
    const existing = this.calls.get(message.callId);
    // Dialling is idempotent per call id: a retried dial finds the call it already placed.
    if (existing) return { call: existing, created: false };
    const loaded = this.byNumber.get(message.to);
    const call = new SimCall({
      callId: message.callId,
      to: message.to,
      sampleRate: message.sampleRate,
      loaded,
      renderer: this.options.renderer,
      phones: this.options.phones,
      truthDir: this.options.truthDir,
      orphanTimeoutMs: this.options.orphanTimeoutMs ?? 10 * 60_000,
      ...(this.options.captionWer ? { captionWer: this.options.captionWer } : {}),
      ...(this.options.line ? { line: this.options.line } : {}),
      onEnded: (ended) => {
        this.log({ msg: 'call ended', callId: ended.id, truth: ended.truth.file });
        setTimeout(
          () => {
            if (this.calls.get(ended.id) === ended) this.calls.delete(ended.id);
          },
          this.options.retainEndedMs ?? 10 * 60_000,
        ).unref();
      },
    });
    this.calls.set(message.callId, call);
    this.log({
      msg: 'call placed',
      callId: call.id,
      to: message.to,
      scenario: loaded?.scenario.id ?? null,
      truth: call.truth.file,
    });
    return { call, created: true };
  }
}

/** A registered user's phone, on its socket. */
function phoneEndpoint(channel: LegChannel): PhoneEndpoint {
  return {
    ring: (callId) => channel.send({ type: 'ring', callId }),
    hearAudio: (frame) => channel.sendAudio(frame),
    callEnded: (_callId, cause) => channel.send({ type: 'progress', state: 'ended', cause }),
  };
}
