import { endsLike } from '../flows/promptMatch.js';
import type { CallLeg } from '../media/telephony/callLeg.js';
import { menuDrifted } from '../navigator/menuDrift.js';
import type { ActivityDeps } from './deps.js';
import { keepHeartbeating } from './heartbeat.js';
import { recordEvents } from './recordEvents.js';
import { transcriberFailure } from './transcriberFailure.js';
import type { CallActivities, ListenResult } from './types.js';
import { watchLine } from './watchLine.js';

/** Silence after a final transcript that means the prompt is over. */
export const PROMPT_PAUSE_MS = 1500;
/** Silence that ends a prompt expected to end otherwise: the menu has changed, or stopped short. */
const EXPECTED_PROMPT_GIVE_UP_MS = 4000;

/**
 * Hears a prompt out: gathers transcripts until the speaker pauses after a
 * sentence, a condition's pattern matches (no need to hear the rest), or
 * time runs out. With `expect` (the words a flow knows the prompt ends
 * with), pauses do not end it: it listens until the prompt has ended like
 * that, so a greeting, a silence and then the menu are heard as one.
 */
export function listenActivity(deps: ActivityDeps): CallActivities['listen'] {
  return async ({ callId, timeoutS, patterns, expect, menu, dtmf }) => {
    const leg = await deps.legs.get(callId);
    if (leg.state === 'ended') return { transcript: '', endedBy: 'line-ended' };
    const began = Date.now();
    const result = await hear(deps, leg, timeoutS, patterns, expect);
    const heardMs = Date.now() - began;
    const menuHeard = (drifted: boolean) =>
      result.transcript
        ? recordEvents(deps, callId, [
            {
              key: 'menu-heard',
              type: 'call.menu_heard',
              data: { transcript: result.transcript, endedBy: result.endedBy, heardMs, drifted },
            },
          ])
        : Promise.resolve();
    if (result.endedBy === 'line-ended' || result.endedBy === 'match') {
      await menuHeard(false);
      return result;
    }
    // A flow that knows the menu checks it is still the same before its keys are pressed.
    const drifted = menu
      ? menuDrifted(menu, result.transcript, dtmf)
      : expect !== undefined && result.endedBy !== 'expected';
    if (drifted)
      deps.log.info({ callId, heard: result.transcript }, 'the menu is not the one the flow knows');
    await menuHeard(drifted);
    return drifted ? { ...result, drifted } : result;
  };
}

async function hear(
  deps: ActivityDeps,
  leg: CallLeg,
  timeoutS: number,
  patterns: string[],
  expect: string | undefined,
): Promise<ListenResult> {
  const regexes = patterns.map((p) => new RegExp(p, 'i'));
  const stream = deps.transcriber.start(leg);
  const stopHeartbeat = keepHeartbeating(1000);
  const finals: string[] = [];
  let interim = '';
  const heard = () => [...finals, interim].filter(Boolean).join(' ');
  let pause: NodeJS.Timeout | undefined;
  try {
    const endedBy = await watchLine<ListenResult['endedBy']>(
      leg,
      { timeoutMs: timeoutS * 1000, onTimeout: () => 'timeout', onLineEnded: () => 'line-ended' },
      (settle, fail) => {
        stream.onError((e) => fail(transcriberFailure(e)));
        stream.onTranscript((t) => {
          clearTimeout(pause);
          if (t.final) {
            finals.push(t.text);
            interim = '';
            pause = setTimeout(
              () => settle('pause'),
              expect ? EXPECTED_PROMPT_GIVE_UP_MS : PROMPT_PAUSE_MS,
            );
          } else interim = t.text;
          if (regexes.some((r) => r.test(heard()))) settle('match');
          else if (expect && t.final && endsLike(heard(), expect)) settle('expected');
        });
      },
    );
    return { transcript: heard(), endedBy };
  } finally {
    clearTimeout(pause);
    stopHeartbeat();
    await stream.close();
  }
}
