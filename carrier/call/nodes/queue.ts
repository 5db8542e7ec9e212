import { concat } from '../../../media/audio/pcm.js';
import type { QueueNode } from '../../scenario/schema.js';
import type { NodeContext, NodeResult } from '../nodeContext.js';

/** A callback offer's key is taken while the offer plays and this long after it. */
const CALLBACK_WINDOW_MS = 8000;

/**
 * Hold: music looping underneath, announcements and callback offers cutting
 * in at their intervals, until the agent picks up `wait` seconds after the
 * caller joined the queue. The pick-up cuts whatever is playing.
 */
export async function runQueue(node: QueueNode, ctx: NodeContext): Promise<NodeResult> {
  const { clock, player, input } = ctx;
  const joined = clock.now();
  const waitS = Array.isArray(node.wait)
    ? node.wait[0] + ctx.random() * (node.wait[1] - node.wait[0])
    : node.wait;
  const agentAt = joined + Math.round(waitS * 1000);

  const music = await ctx.render(node.music);
  const announce = node.announce ? await ctx.render(node.announce.play) : [];
  const offer = node.callback ? await ctx.render(node.callback.play) : [];
  const rate = music[0]!.audio.sampleRate;
  // The music play is one looped bed, however many clips it lists.
  player.setMusic({
    kind: music[0]!.kind,
    audio: concat(
      rate,
      music.map((c) => c.audio),
    ),
    caption: undefined,
  });

  let nextAnnounce = node.announce
    ? joined + (node.announce.first ?? node.announce.every) * 1000
    : Infinity;
  let nextOffer = node.callback ? joined + node.callback.every * 1000 : Infinity;
  let offerOpenUntil = -Infinity;

  const pickUp = clock.at(agentAt).then(() => 'agent' as const);
  for (;;) {
    const wakeAt = Math.min(nextAnnounce, nextOffer);
    const woke = await Promise.race([
      pickUp,
      clock.at(wakeAt === Infinity ? agentAt : wakeAt).then(() => 'timer' as const),
      input.arrival().then(() => 'input' as const),
    ]);
    if (woke === 'agent') break;
    if (woke === 'input') {
      const event = input.take();
      const chose =
        node.callback &&
        event?.kind === 'dtmf' &&
        event.digit === node.callback.digit &&
        clock.now() <= offerOpenUntil;
      if (chose) {
        player.setMusic(undefined);
        player.stop();
        return { next: node.callback!.next };
      }
      continue;
    }
    const now = clock.now();
    let clips = announce;
    if (now >= nextOffer) {
      clips = offer;
      nextOffer += node.callback!.every * 1000;
      if (now >= nextAnnounce) nextAnnounce += node.announce!.every * 1000;
    } else nextAnnounce += node.announce!.every * 1000;
    if (clips === offer) offerOpenUntil = Infinity;
    const playing = player.play(clips);
    const ended = await Promise.race([pickUp, playing.then(() => 'played' as const)]);
    if (clips === offer) offerOpenUntil = clock.now() + CALLBACK_WINDOW_MS;
    if (ended === 'agent') break;
  }
  player.setMusic(undefined);
  player.stop();
  return { next: node.agent };
}
