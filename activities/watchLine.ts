import { Context } from '@temporalio/activity';
import type { CallLeg, CallLegEvents } from '../media/telephony/callLeg.js';

export interface WatchOptions<T> {
  timeoutMs: number;
  onTimeout: () => T;
  onLineEnded: () => T;
}

/**
 * Waits on a live line until `settle` (or `fail`) is called (by a listener that `start`
 * returns, kept on the leg for as long as the watch lasts), the time
 * runs out, or the far end hangs up. Losing the connection to the media
 * server, or the activity being cancelled, rejects: the first so Temporal
 * retries (and the retry re-attaches), the second to stop at once.
 */
export function watchLine<T>(
  leg: CallLeg,
  options: WatchOptions<T>,
  start: (
    settle: (value: T) => void,
    fail: (error: unknown) => void,
  ) => Partial<CallLegEvents> | void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let finished = false;
    let listeners: [keyof CallLegEvents, never][] = [];
    const cleanup = () => {
      finished = true;
      clearTimeout(deadline);
      leg.off('state', onState);
      leg.off('detached', onDetached);
      for (const [event, listener] of listeners) leg.off(event, listener);
    };
    const settle = (value: T) => {
      if (finished) return;
      cleanup();
      resolve(value);
    };
    const fail = (error: unknown) => {
      if (finished) return;
      cleanup();
      reject(error);
    };
    const onState = (state: string) => state === 'ended' && settle(options.onLineEnded());
    const onDetached = (reason: string) => fail(new Error(`lost the line: ${reason}`));
    const deadline = setTimeout(() => settle(options.onTimeout()), options.timeoutMs);
    leg.on('state', onState);
    leg.on('detached', onDetached);
    Context.current().cancelled.catch(fail);
    listeners = Object.entries(start(settle, fail) ?? {}) as [keyof CallLegEvents, never][];
    for (const [event, listener] of listeners) leg.on(event, listener);
  });
}
