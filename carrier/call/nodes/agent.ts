import type { AgentNode } from '../../scenario/schema.js';
import type { NodeContext, NodeResult } from '../nodeContext.js';

/** After the user is bridged in, the conversation lasts this long before the user hangs up. */
export const CONVERSATION_MS = 5000;

/**
 * A live person: greets (the carrier logs agent-start when its voice
 * begins), then waits for the caller. Silence for `patience`
 * seconds earns one "Hello? Are you there?", and a second silence a hang-up.
 * Speech from the caller, or the user bridged in, keeps the agent on the line.
 */
export async function runAgent(node: AgentNode, ctx: NodeContext): Promise<NodeResult> {
  const { clock, input, player } = ctx;
  await player.play(await ctx.render(node.play), true);
  let prompted = false;
  for (;;) {
    if (ctx.isBridged()) {
      await clock.after(CONVERSATION_MS);
      return { end: 'hangup', by: 'caller', reason: 'conversation over' };
    }
    const deadline = clock.now() + node.patience * 1000;
    const woke = await Promise.race([
      ctx.bridged.then(() => 'bridged' as const),
      input.next(deadline).then((e) => e ?? ('silence' as const)),
    ]);
    if (woke === 'bridged') continue;
    if (woke === 'silence') {
      if (prompted) return { end: 'hangup', by: 'carrier', reason: 'agent gave up waiting' };
      prompted = true;
      await player.play(await ctx.areYouThere(), true);
    }
    // Anything the caller says or keys counts as someone being there.
  }
}
