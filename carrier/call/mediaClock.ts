import { FRAME_MS } from '../../media/audio/pcm.js';

export class CallEndedError extends Error {
  constructor() {
    super('the call has ended');
  }
}

interface Timer {
  at: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

/**
 * The real-time heart of a simulated call: one tick per 20 ms frame, kept on
 * schedule against the monotonic clock (late ticks catch up in a burst, as a
 * jitter buffer would drain). Scenario time is measured in ticks, so every
 * wait and every frame agree on what "now" is.
 */
export class MediaClock {
  private ticks = 0;
  private origin = 0;
  private handle: NodeJS.Timeout | undefined;
  private timers: Timer[] = [];
  private stopped = false;

  /**
   * `realtime: false` makes a virtual clock that only moves when `advance`
   * is called: the same scenario logic, run as fast as the CPU allows, for
   * tests.
   */
  constructor(
    private readonly onTick: (nowMs: number) => void,
    private readonly options: { realtime: boolean } = { realtime: true },
  ) {}

  start(): void {
    this.origin = performance.now();
    if (this.options.realtime) this.schedule();
  }

  /** Moves a virtual clock on by `ms`, letting the call react after every frame. */
  async advance(ms: number): Promise<void> {
    if (this.options.realtime) throw new Error('a real-time clock cannot be advanced by hand');
    const until = this.now() + ms;
    while (!this.stopped && this.now() < until) {
      this.tick();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Milliseconds of media since the clock started. */
  now(): number {
    return this.ticks * FRAME_MS;
  }

  /** Resolves on the first tick at or after `ms`; rejects if the clock stops first. */
  at(ms: number): Promise<void> {
    if (this.stopped) return Promise.reject(new CallEndedError());
    if (ms <= this.now()) return Promise.resolve();
    const promise = new Promise<void>((resolve, reject) => {
      this.timers.push({ at: ms, resolve, reject });
      this.timers.sort((a, b) => a.at - b.at);
    });
    // A wait that lost a race must not surface as an unhandled rejection when the call ends.
    promise.catch(() => undefined);
    return promise;
  }

  after(ms: number): Promise<void> {
    return this.at(this.now() + ms);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.handle) clearTimeout(this.handle);
    const pending = this.timers;
    this.timers = [];
    for (const t of pending) t.reject(new CallEndedError());
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private schedule(): void {
    if (this.stopped) return;
    const due = this.origin + (this.ticks + 1) * FRAME_MS;
    this.handle = setTimeout(() => this.run(), Math.max(0, due - performance.now()));
  }

  private run(): void {
    const elapsed = performance.now() - this.origin;
    while (!this.stopped && (this.ticks + 1) * FRAME_MS <= elapsed) this.tick();
    this.schedule();
  }

  private tick(): void {
    this.ticks += 1;
    const now = this.now();
    while (this.timers.length > 0 && this.timers[0]!.at <= now) this.timers.shift()!.resolve();
    this.onTick(now);
  }
}
