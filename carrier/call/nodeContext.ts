import type { PRNG } from 'seedrandom';
import type { RenderedClip } from '../audio/clipRenderer.js';
import type { Play, Scenario } from '../scenario/schema.js';
import type { CallerInput } from './callerInput.js';
import type { GroundTruthLog } from './groundTruth.js';
import type { MediaClock } from './mediaClock.js';
import type { Player } from './player.js';

/** What a node's behaviour may use of the call it runs on. */
export interface NodeContext {
  scenario: Scenario;
  clock: MediaClock;
  player: Player;
  input: CallerInput;
  truth: GroundTruthLog;
  /** Seeded by the scenario id, so a scenario's random waits repeat from run to run. */
  random: PRNG;
  render(play: Play): Promise<RenderedClip[]>;
  /** The agent's "Hello? Are you there?". */
  areYouThere(): Promise<RenderedClip[]>;
  /** Resolves when the user's phone has been bridged in. */
  bridged: Promise<void>;
  isBridged(): boolean;
}

/** Where a node leads: another node, or the end of the call. */
export type NodeResult =
  { next: string } | { end: 'hangup'; by?: 'carrier' | 'caller'; reason?: string };

/** Plays clips; when `bargeIn`, a key or phrase from the caller cuts them short. */
export async function playWithBargeIn(
  ctx: NodeContext,
  clips: RenderedClip[],
  bargeIn: boolean,
): Promise<void> {
  if (!bargeIn) {
    await ctx.player.play(clips);
    return;
  }
  const playing = ctx.player.play(clips);
  await Promise.race([playing, ctx.input.arrival()]);
  if (ctx.input.pending) ctx.player.stop();
}
