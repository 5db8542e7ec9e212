import type { InputNode } from '../../scenario/schema.js';
import { playWithBargeIn, type NodeContext, type NodeResult } from '../nodeContext.js';

/** How long the IVR waits for the first key after its prompt, and between keys. */
const FIRST_DIGIT_MS = 6000;
const INTER_DIGIT_MS = 3000;
/** Without `onInvalid`, a wrong entry is asked for again this many times, then the line hangs up. */
const RETRIES = 2;

export async function runInput(node: InputNode, ctx: NodeContext): Promise<NodeResult> {
  const prompt = await ctx.render(node.play);
  for (let attempt = 0; ; attempt++) {
    await playWithBargeIn(ctx, prompt, true);
    const digits = await collectDigits(node, ctx);
    if (digits !== undefined && accepts(node, digits, ctx.scenario.task.secrets))
      return { next: node.next };
    if (node.onInvalid) return { next: node.onInvalid };
    if (attempt >= RETRIES) return { end: 'hangup' };
  }
}

/** Digits up to the terminator, the maximum, or a pause; undefined when nothing was keyed. */
async function collectDigits(node: InputNode, ctx: NodeContext): Promise<string | undefined> {
  const { max, terminator } = node.digits;
  let digits = '';
  let deadline = ctx.clock.now() + FIRST_DIGIT_MS;
  for (;;) {
    const event = await ctx.input.next(deadline);
    if (!event) return digits || undefined;
    if (event.kind !== 'dtmf') continue;
    if (terminator && event.digit === terminator) return digits;
    digits += event.digit;
    // Without a terminator the entry is complete at its longest; with one, keys past the longest are still taken, and fail.
    if (!terminator && digits.length >= max) return digits;
    deadline = ctx.clock.now() + INTER_DIGIT_MS;
  }
}

function accepts(node: InputNode, digits: string, secrets: Record<string, string>): boolean {
  if (digits.length < node.digits.min || digits.length > node.digits.max) return false;
  if (node.expect === undefined) return true;
  if (node.expect.startsWith('secret:'))
    return secrets[node.expect.slice('secret:'.length)] === digits;
  return new RegExp(`^(?:${node.expect})$`).test(digits);
}
