import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { concat, fromBytes, toBytes, type SampleRate } from '../../audio/pcm.js';
import { PROTOCOL_PATH, type CarrierMessage, type ParsedCallerMessage } from '../sim/protocol.js';
import { readCallerMessage, wireBytes } from '../sim/readCallerMessage.js';
import type { LineState } from '../callLeg.js';
import type { AudioForkServer } from './audioForkServer.js';
import { FreeswitchLine, type FreeswitchLineDeps } from './freeswitchLine.js';

export interface GatewayOptions {
  line: Omit<FreeswitchLineDeps, 'audioForkUrl' | 'sampleRate'>;
  audioFork: AudioForkServer;
  /** The URL mod_audio_fork is given: the audio fork server as FreeSWITCH reaches it. */
  audioForkUrl: string;
  sampleRate: SampleRate;
  /** How long a call may ring before it counts as unanswered. */
  ringTimeoutMs: number;
  /** A call no worker is attached to is hung up after this long: nobody is listening to it. */
  orphanTimeoutMs: number;
  /** How long an ended call can still be attached to, to read how it ended. */
  retainEndedMs: number;
  host: string;
  port: number;
  log?: (line: Record<string, unknown>) => void;
}

type Channel = (message: CarrierMessage) => void;

const MAX_SPEECH_FRAMES = 3000;
const CLOSE_WAIT_MS = 5000;

/** One call the gateway holds, and the worker connection watching it, if any. */
class HeldCall {
  channel: Channel | undefined;
  /** Lets go of the worker connection watching the call, when another takes it over. */
  dropWatcher: (() => void) | undefined;
  sendAudio: ((frame: Int16Array) => void) | undefined;
  orphanTimer: NodeJS.Timeout | undefined;
  /** Frames of the speech the worker is sending now, by its speech-start id. */
  speech: { id: number; frames: Int16Array[] } | undefined;

  constructor(
    readonly line: FreeswitchLine,
    readonly stopAudio: () => void,
  ) {}
}

/**
 * The FreeSWITCH side of the line protocol the workers already speak to the
 * simulated carrier: this long-running process owns the drachtio and
 * FreeSWITCH connections (a SIP dialog cannot move to another process), and
 * workers dial, attach, steer and hear calls through it. A worker that dies
 * mid-hold leaves its call here, where the next worker attaches to it by id.
 */
export class GatewayServer {
  private readonly calls = new Map<string, HeldCall>();
  /** Calls being placed: a dial that is retried meanwhile waits for the same call. */
  private readonly opening = new Map<string, Promise<HeldCall>>();
  private readonly http: Server;
  private readonly wss: WebSocketServer;

  constructor(private readonly options: GatewayOptions) {
    this.http = createServer((req, res) => {
      const ok = req.method === 'GET' && req.url === '/health';
      res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { ok: true, calls: this.calls.size } : { error: 'not here' }));
    });
    this.wss = new WebSocketServer({ server: this.http, path: PROTOCOL_PATH });
    this.wss.on('connection', (socket) => this.accept(socket));
    options.audioFork.acceptOnly((id) => this.calls.has(id) || this.opening.has(id));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port, this.options.host, resolve);
    });
    const { address, port } = this.http.address() as AddressInfo;
    return `ws://${address}:${port}`;
  }

  async close(): Promise<void> {
    // A ringing call ends when its CANCEL is answered: wait for that, so no endpoint is left behind.
    await Promise.allSettled(
      [...this.calls.values()].map(async (c) => {
        await c.line.hangup();
        await c.line.whenOver(CLOSE_WAIT_MS);
      }),
    );
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    let held: HeldCall | undefined;
    const send: Channel = (message) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const sendAudio = (frame: Int16Array) => {
      if (socket.readyState === socket.OPEN) socket.send(toBytes(frame), { binary: true });
    };
    const fail = (message: string, id?: number) =>
      send({ type: 'error', message, ...(id !== undefined ? { id } : {}) });

    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        // The worker's speech, frame by frame: played once it is all here.
        const speech = held?.channel === send ? held.speech : undefined;
        // A minute of speech at most: past that the worker is not speaking, it is flooding.
        if (speech && speech.frames.length < MAX_SPEECH_FRAMES)
          speech.frames.push(fromBytes(wireBytes(data)));
        return;
      }
      const read = readCallerMessage(data);
      if (!read.ok) return fail(read.error, read.id);
      const parsed = read.message;
      if (parsed.type === 'dial' || parsed.type === 'attach') {
        if (held) return fail('this socket is already in use');
        void this.open(parsed).then(
          (call) => {
            if (socket.readyState !== socket.OPEN) {
              // The worker left while its call was being placed: nobody watches it now.
              this.unwatch(call);
              return;
            }
            held = call;
            this.watch(call, send, sendAudio, () => {
              held = undefined;
              fail(`call ${call.line.callId} was taken over by another connection`);
              socket.close();
            });
            send({
              type: 'attached',
              callId: call.line.callId,
              sampleRate: this.options.sampleRate,
              state: call.line.state,
              bridged: call.line.bridged,
            });
          },
          (e: Error) => fail(e.message),
        );
        return;
      }
      if (parsed.type === 'register' || parsed.type === 'answer' || parsed.type === 'reject')
        return fail('user phones ring through the SIP trunk here, not over this protocol');
      if (!held || held.channel !== send) return fail('dial or attach first', parsed.id);
      this.steer(held, parsed, send);
    });
    const release = () => {
      if (held && held.channel === send) this.unwatch(held);
    };
    socket.on('close', release);
    socket.on('error', release);
  }

  /** The call a dial or attach names: dialling twice with one call id finds the same call. */
  private async open(
    message: Extract<ParsedCallerMessage, { type: 'dial' | 'attach' }>,
  ): Promise<HeldCall> {
    const existing = this.calls.get(message.callId) ?? this.opening.get(message.callId);
    if (existing) return existing;
    if (message.type === 'attach') throw new Error(`no call ${message.callId} on this gateway`);
    if (message.sampleRate !== this.options.sampleRate)
      throw new Error(
        `this gateway carries audio at ${this.options.sampleRate} Hz, not ${message.sampleRate} Hz: set the worker's GATEWAY_SAMPLE_RATE to ${this.options.sampleRate}`,
      );
    const opening = this.place(message);
    this.opening.set(message.callId, opening);
    try {
      return await opening;
    } finally {
      this.opening.delete(message.callId);
    }
  }

  private async place(message: Extract<ParsedCallerMessage, { type: 'dial' }>): Promise<HeldCall> {
    const line = await FreeswitchLine.place(
      {
        ...this.options.line,
        audioForkUrl: this.options.audioForkUrl,
        sampleRate: this.options.sampleRate,
      },
      { callId: message.callId, to: message.to, ...(message.from ? { from: message.from } : {}) },
      this.options.ringTimeoutMs,
    );
    const call: HeldCall = new HeldCall(
      line,
      this.options.audioFork.onFrames(message.callId, (frame) => call.sendAudio?.(frame)),
    );
    const isOver = (state: string) => state !== 'ringing' && state !== 'answered';
    line.on('state', (state) => {
      if (isOver(state)) this.ended(call);
    });
    // An attempt can fail before anyone listened for it.
    if (isOver(line.state)) this.ended(call);
    this.calls.set(message.callId, call);
    this.options.log?.({ msg: 'call placed', callId: message.callId, to: message.to });
    return call;
  }

  private watch(
    call: HeldCall,
    send: Channel,
    sendAudio: (frame: Int16Array) => void,
    drop: () => void,
  ): void {
    clearTimeout(call.orphanTimer);
    // One worker steers a call at a time: the one that attached last.
    call.dropWatcher?.();
    call.channel = send;
    call.sendAudio = sendAudio;
    call.dropWatcher = drop;
    call.speech = undefined;
    const onState = (state: LineState, cause: string | undefined) => {
      if (call.channel !== send) return call.line.off('state', onState);
      send({ type: 'progress', state, ...(cause !== undefined ? { cause } : {}) });
      if (state !== 'ringing' && state !== 'answered') call.line.off('state', onState);
    };
    call.line.on('state', onState);
  }

  private unwatch(call: HeldCall): void {
    call.dropWatcher = undefined;
    call.channel = undefined;
    call.sendAudio = undefined;
    call.speech = undefined;
    if (call.line.state === 'ringing' || call.line.state === 'answered')
      call.orphanTimer = setTimeout(() => void call.line.hangup(), this.options.orphanTimeoutMs);
  }

  private ended(call: HeldCall): void {
    clearTimeout(call.orphanTimer);
    call.stopAudio();
    this.options.log?.({ msg: 'call ended', callId: call.line.callId, state: call.line.state });
    setTimeout(() => {
      if (this.calls.get(call.line.callId) === call) this.calls.delete(call.line.callId);
    }, this.options.retainEndedMs).unref();
  }

  private steer(
    call: HeldCall,
    message: Extract<ParsedCallerMessage, { id: number }>,
    send: Channel,
  ): void {
    const done = (work: Promise<void>) =>
      work.then(
        () => send({ type: 'ack', id: message.id }),
        (e: Error) => send({ type: 'error', id: message.id, message: e.message }),
      );
    switch (message.type) {
      case 'dtmf':
        return void done(call.line.sendDtmf(message.digits));
      case 'speech-start':
        if (call.line.state !== 'answered')
          return void send({
            type: 'error',
            id: message.id,
            message: `the call is ${call.line.state}: nothing to speak to`,
          });
        call.speech = { id: message.id, frames: [] };
        return void send({ type: 'ack', id: message.id });
      case 'speech-end': {
        const speech = call.speech;
        call.speech = undefined;
        if (!speech || speech.id !== message.speech)
          return void send({ type: 'error', id: message.id, message: 'no such speech under way' });
        const audio = concat(
          this.options.sampleRate,
          speech.frames.map((samples) => ({ sampleRate: this.options.sampleRate, samples })),
        );
        return void done(call.line.speak(audio));
      }
      case 'bridge':
        return void done(call.line.bridge(message.device));
      case 'hangup':
        return void done(call.line.hangup());
      default:
        return void send({
          type: 'error',
          id: message.id,
          message: `${message.type} is not taken here`,
        });
    }
  }
}
