import { EventEmitter } from 'node:events';
import WebSocket, { type RawData } from 'ws';
import {
  FRAME_MS,
  fromBytes,
  frames,
  toBytes,
  type PcmAudio,
  type SampleRate,
} from '../../audio/pcm.js';
import {
  LegDetachedError,
  TransferFailedError,
  type CallLeg,
  type CallLegEvents,
  type DialRequest,
  type LineState,
  type TelephonyPort,
} from '../callLeg.js';
import { PROTOCOL_PATH, carrierMessageSchema, type CallerMessage } from './protocol.js';

/** How long the line takes to carry one DTMF digit (tone and gap). */
const DIGIT_MS = 100;
const CONNECT_TIMEOUT_MS = 10_000;

/** The simulated carrier, reached over its WebSocket protocol. */
export class SimTelephony implements TelephonyPort {
  constructor(
    private readonly url: string,
    readonly sampleRate: SampleRate = 8000,
  ) {}

  dial(request: DialRequest): Promise<CallLeg> {
    return SimCallLeg.open(this.url, {
      type: 'dial',
      callId: request.callId,
      to: request.to,
      ...(request.from ? { from: request.from } : {}),
      sampleRate: this.sampleRate,
    });
  }

  attach(callId: string): Promise<CallLeg> {
    return SimCallLeg.open(this.url, { type: 'attach', callId });
  }

  async close(): Promise<void> {}
}

interface Pending {
  resolve: () => void;
  reject: (e: Error) => void;
}

class SimCallLeg implements CallLeg {
  private readonly emitter = new EventEmitter();
  private lineState: LineState = 'ringing';
  private isBridged = false;
  private isAttached = true;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private constructor(
    private readonly socket: WebSocket,
    readonly callId: string,
    readonly sampleRate: SampleRate,
  ) {
    this.emitter.setMaxListeners(50);
  }

  static open(url: string, first: CallerMessage): Promise<SimCallLeg> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${url}${PROTOCOL_PATH}`);
      let leg: SimCallLeg | undefined;
      const timer = setTimeout(() => {
        socket.terminate();
        reject(
          new LegDetachedError(
            `the carrier at ${url} did not answer within ${CONNECT_TIMEOUT_MS} ms`,
          ),
        );
      }, CONNECT_TIMEOUT_MS);
      socket.on('open', () => socket.send(JSON.stringify(first)));
      socket.on('error', (e) => {
        clearTimeout(timer);
        if (!leg) reject(new LegDetachedError(`cannot reach the carrier at ${url}: ${e.message}`));
      });
      socket.on('message', (data: RawData, isBinary: boolean) => {
        if (leg) return leg.receive(data, isBinary);
        if (isBinary) return;
        const message = carrierMessageSchema.safeParse(JSON.parse(data.toString()));
        if (!message.success) return;
        if (message.data.type === 'error') {
          clearTimeout(timer);
          socket.close();
          reject(new LegDetachedError(message.data.message));
        } else if (message.data.type === 'attached') {
          clearTimeout(timer);
          leg = new SimCallLeg(socket, message.data.callId, message.data.sampleRate);
          leg.lineState = message.data.state;
          leg.isBridged = message.data.bridged;
          resolve(leg);
        }
      });
      socket.on('close', () => {
        clearTimeout(timer);
        if (!leg) reject(new LegDetachedError(`the carrier at ${url} closed the connection`));
        else leg.lost('the carrier connection closed');
      });
    });
  }

  get state(): LineState {
    return this.lineState;
  }

  get bridged(): boolean {
    return this.isBridged;
  }

  get attached(): boolean {
    return this.isAttached;
  }

  on<E extends keyof CallLegEvents>(event: E, listener: CallLegEvents[E]): void {
    this.emitter.on(event, listener);
  }

  off<E extends keyof CallLegEvents>(event: E, listener: CallLegEvents[E]): void {
    this.emitter.off(event, listener);
  }

  waitForAnswer(timeoutMs: number): Promise<LineState> {
    if (this.lineState !== 'ringing') return Promise.resolve(this.lineState);
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.off('state', onState);
        this.off('detached', onDetached);
      };
      const onState = (state: LineState) => {
        if (state === 'ringing') return;
        done();
        resolve(state);
      };
      const onDetached = (reason: string) => {
        done();
        reject(new LegDetachedError(reason));
      };
      const timer = setTimeout(() => {
        done();
        resolve(this.lineState);
      }, timeoutMs);
      this.on('state', onState);
      this.on('detached', onDetached);
    });
  }

  async sendDtmf(digits: string): Promise<void> {
    await this.request({ type: 'dtmf', id: this.nextId, digits });
    await delay(digits.length * DIGIT_MS);
  }

  async speak(audio: PcmAudio, transcript: string): Promise<void> {
    const id = this.nextId;
    await this.request({ type: 'speech-start', id, text: transcript });
    const started = performance.now();
    let sent = 0;
    for (const frame of frames(audio)) {
      this.ensureAttached();
      this.socket.send(toBytes(frame), { binary: true });
      sent += 1;
      // Real time: each frame leaves when its 20 ms are due, not all at once.
      const wait = started + sent * FRAME_MS - performance.now();
      if (wait > 0) await delay(wait);
    }
    await this.request({ type: 'speech-end', id: this.nextId, speech: id });
  }

  async bridge(device: string): Promise<void> {
    try {
      await this.request({ type: 'bridge', id: this.nextId, device });
      this.isBridged = true;
    } catch (e) {
      if (e instanceof LegDetachedError) throw e;
      throw new TransferFailedError((e as Error).message);
    }
  }

  async hangup(): Promise<void> {
    if (this.lineState === 'ended') return;
    try {
      await this.request({ type: 'hangup', id: this.nextId });
    } catch (e) {
      // The carrier reports the call's end before it acknowledges the hang-up that caused it.
      if (!this.hasEnded()) throw e;
    }
  }

  private hasEnded(): boolean {
    return this.lineState === 'ended';
  }

  detach(): void {
    this.isAttached = false;
    this.socket.close();
  }

  private request(message: CallerMessage & { id: number }): Promise<void> {
    this.ensureAttached();
    this.nextId = Math.max(this.nextId, message.id) + 1;
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      this.socket.send(JSON.stringify(message));
    });
  }

  private ensureAttached(): void {
    if (!this.isAttached)
      throw new LegDetachedError(`call ${this.callId}: not attached to the carrier`);
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.emitter.emit('audio', fromBytes(data as Buffer));
      return;
    }
    const parsed = carrierMessageSchema.safeParse(JSON.parse(data.toString()));
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.type) {
      case 'progress':
        this.lineState = message.state;
        this.emitter.emit('state', message.state, message.cause);
        if (message.state === 'ended')
          this.failPending(new LegDetachedError(`the call ended: ${message.cause ?? ''}`));
        break;
      case 'caption':
        this.emitter.emit('caption', { text: message.text, final: message.final });
        break;
      case 'ack':
        this.settle(message.id);
        break;
      case 'error':
        if (message.id !== undefined) this.settle(message.id, new Error(message.message));
        break;
      case 'bridge-progress':
      case 'attached':
        break;
    }
  }

  private settle(id: number, error?: Error): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (error) pending.reject(error);
    else pending.resolve();
  }

  private lost(reason: string): void {
    if (!this.isAttached && this.pending.size === 0) return;
    this.isAttached = false;
    this.failPending(new LegDetachedError(reason));
    this.emitter.emit('detached', reason);
  }

  private failPending(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
