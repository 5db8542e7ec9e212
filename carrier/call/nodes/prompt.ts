import type { NodeContext, NodeResult } from '../nodeContext.js';
import type { ScenarioNode } from '../../scenario/schema.js';

type PromptNode = Extract<ScenarioNode, { type: 'prompt' }>;
type HangupNode = Extract<ScenarioNode, { type: 'hangup' }>;

export async function runPrompt(node: PromptNode, ctx: NodeContext): Promise<NodeResult> {
  await ctx.player.play(await ctx.render(node.play));
  return { next: node.next };
}

export async function runHangup(node: HangupNode, ctx: NodeContext): Promise<NodeResult> {
  if (node.play) await ctx.player.play(await ctx.render(node.play));
  return { end: 'hangup' };
}
