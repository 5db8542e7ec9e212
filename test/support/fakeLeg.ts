import { EventEmitter } from 'node:events';
import type { SampleRate } from '../../media/audio/pcm.js';
import type { CallLeg, CallLegEvents, LineState } from '../../media/telephony/callLeg.js';

/**
 * An answered call leg in memory: the test pushes far-end audio and
 * captions into it; anything that would reach a line is refused.
 */
export class FakeLeg implements CallLeg {
  state: LineState = 'answered';
  bridged = false;
  attached = true;
  private readonly events = new EventEmitter();

  constructor(
    readonly sampleRate: SampleRate,
    readonly callId = 'call-fake',
  ) {}

  on<E extends keyof CallLegEvents>(event: E, listener: CallLegEvents[E]): void {
    this.events.on(event, listener);
  }

  off<E extends keyof CallLegEvents>(event: E, listener: CallLegEvents[E]): void {
    this.events.off(event, listener);
  }

  emit<E extends keyof CallLegEvents>(event: E, ...args: Parameters<CallLegEvents[E]>): void {
    this.events.emit(event, ...args);
  }

  listenerCount(event: keyof CallLegEvents): number {
    return this.events.listenerCount(event);
  }

  async waitForAnswer(): Promise<LineState> {
    return this.state;
  }

  async sendDtmf(): Promise<void> {
    throw new Error('a fake leg carries no keys');
  }

  async speak(): Promise<void> {
    throw new Error('a fake leg carries no speech to the far end');
  }

  async bridge(): Promise<void> {
    throw new Error('a fake leg cannot bridge');
  }

  async hangup(): Promise<void> {
    this.state = 'ended';
    this.emit('state', 'ended', undefined);
  }

  detach(): void {
    this.attached = false;
    this.emit('detached', 'detached by the test');
  }
}
