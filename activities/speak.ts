import type { ActivityDeps } from './deps.js';
import { assertLineUp } from './lineEnded.js';
import type { CallActivities } from './types.js';

export function speakActivity(deps: ActivityDeps): CallActivities['speak'] {
  return async ({ callId, text }) => {
    const leg = await deps.legs.get(callId);
    assertLineUp(leg);
    const audio = await deps.tts.synthesize(text, leg.sampleRate);
    await leg.speak(audio, text);
    deps.log.info({ callId, text }, 'spoke');
  };
}
