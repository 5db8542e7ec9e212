import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { readWav } from '../media/audio/wav.js';
import type { ActivityDeps } from './deps.js';
import { assertLineUp } from './lineEnded.js';
import { recordEvents } from './recordEvents.js';
import type { CallActivities } from './types.js';

/**
 * Speaks to the far end: a line of text through speech synthesis, or a
 * recording from the audio folder (with its text, when given, as the
 * transcript that goes with it).
 */
export function speakActivity(deps: ActivityDeps): CallActivities['speak'] {
  return async ({ callId, text, audio }) => {
    const leg = await deps.legs.get(callId);
    assertLineUp(leg);
    if (audio !== undefined) {
      const file = path.join(deps.audioDir, path.basename(audio));
      const recording = await readWav(file, leg.sampleRate).catch((e: Error) => {
        throw ApplicationFailure.nonRetryable(
          `cannot play ${audio}: ${e.message}`,
          'AudioNotFound',
        );
      });
      await leg.speak(recording, text ?? '');
    } else if (text !== undefined) {
      await leg.speak(await deps.tts.synthesize(text, leg.sampleRate), text);
    } else {
      throw ApplicationFailure.nonRetryable('a SPEAK step needs text or audio', 'NothingToSay');
    }
    deps.log.info({ callId, text, audio }, 'spoke');
    await recordEvents(deps, callId, [
      {
        key: 'speech-sent',
        type: 'call.speech_sent',
        data: { text: text ?? null, audio: audio ?? null },
      },
    ]);
  };
}
