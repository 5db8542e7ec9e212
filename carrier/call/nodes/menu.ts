import type { MenuNode } from '../../scenario/schema.js';
import { playWithBargeIn, type NodeContext, type NodeResult } from '../nodeContext.js';
import { matchPhrase } from '../speechMatch.js';

/** After a key that starts a longer option, the IVR waits this long for the rest. */
const INTER_DIGIT_MS = 2000;

type Choice = { next: string } | 'timeout' | 'invalid';

export async function runMenu(node: MenuNode, ctx: NodeContext): Promise<NodeResult> {
  const prompt = await ctx.render(node.play);
  const invalid = node.invalid ? await ctx.render(node.invalid) : [];
  let failures = 0;
  for (;;) {
    const choice = await collectChoice(node, prompt, ctx);
    if (typeof choice === 'object') return choice;
    if (choice === 'timeout' && node.onTimeout) return { next: node.onTimeout };
    if (choice === 'invalid' && invalid.length > 0) await ctx.player.play(invalid);
    failures += 1;
    if (failures > node.retries)
      return node.onExhausted ? { next: node.onExhausted } : { end: 'hangup' };
  }
}

async function collectChoice(
  node: MenuNode,
  prompt: Awaited<ReturnType<NodeContext['render']>>,
  ctx: NodeContext,
): Promise<Choice> {
  await playWithBargeIn(ctx, prompt, node.bargeIn);
  if (!node.bargeIn) ctx.input.flush();
  let keys = '';
  let deadline = ctx.clock.now() + node.timeout * 1000;
  for (;;) {
    const event = await ctx.input.next(deadline);
    if (!event) {
      if (!keys) return 'timeout';
      const exact = node.options[keys];
      return exact ? { next: exact } : 'invalid';
    }
    if (event.kind === 'speech') {
      // A keypad-only menu does not listen: speech goes unheard.
      if (!node.speech) continue;
      const target = matchPhrase(event.text, node.speech);
      return target ? { next: target } : 'invalid';
    }
    keys += event.digit;
    const exact = node.options[keys];
    const longer = Object.keys(node.options).some(
      (k) => k.length > keys.length && k.startsWith(keys),
    );
    if (exact && !longer) return { next: exact };
    if (!exact && !longer) return 'invalid';
    deadline = ctx.clock.now() + INTER_DIGIT_MS;
  }
}
