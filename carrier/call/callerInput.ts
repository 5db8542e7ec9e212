import { CallEndedError, type MediaClock } from './mediaClock.js';

export type CallerEvent = { kind: 'dtmf'; digit: string } | { kind: 'speech'; text: string };

/**
 * What the caller does, queued in the order the far end perceives it. The
 * scenario logic consumes it one event at a time; anything may also just
 * wake a waiter (barge-in) without being consumed.
 */
export class CallerInput {
  private queue: CallerEvent[] = [];
  private wakers: Array<() => void> = [];
  private ended = false;

  constructor(private readonly clock: MediaClock) {}

  push(event: CallerEvent): void {
    if (this.ended) return;
    this.queue.push(event);
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }

  get pending(): boolean {
    return this.queue.length > 0;
  }

  peek(): CallerEvent | undefined {
    return this.queue[0];
  }

  take(): CallerEvent | undefined {
    return this.queue.shift();
  }

  /** Drops what was said or pressed so far, e.g. digits typed over a prompt that takes no barge-in. */
  flush(keep: (e: CallerEvent) => boolean = () => false): void {
    this.queue = this.queue.filter(keep);
  }

  /** Resolves when an event is queued (not consuming it), or at once if one is. */
  arrival(): Promise<void> {
    if (this.ended) return Promise.reject(new CallEndedError());
    if (this.queue.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.wakers.push(resolve));
  }

  /** The next event, or undefined if none comes by media time `deadlineMs`. */
  async next(deadlineMs: number): Promise<CallerEvent | undefined> {
    if (this.queue.length === 0) {
      await Promise.race([this.arrival(), this.clock.at(deadlineMs)]);
    }
    return this.take();
  }

  end(): void {
    this.ended = true;
    this.queue = [];
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }
}
