import { Context } from '@temporalio/activity';

/**
 * Heartbeats on a timer while a long activity waits on the line, so that
 * Temporal notices a dead worker (and retries elsewhere) and can deliver
 * cancellation. `details` is where a retry resumes from.
 */
export function keepHeartbeating(
  everyMs: number,
  details: () => unknown = () => undefined,
): () => void {
  const context = Context.current();
  context.heartbeat(details());
  const timer = setInterval(() => context.heartbeat(details()), everyMs);
  return () => clearInterval(timer);
}
