import { FrameClassifier } from '../media/analysis/frameClassifier.js';
import { DEFAULT_CUE_THRESHOLD } from '../media/analysis/humanDetector.js';
import { scoreTranscript } from '../media/analysis/transcriptCues.js';
import type { ActivityDeps } from './deps.js';
import { keepHeartbeating } from './heartbeat.js';
import { recordEvents } from './recordEvents.js';
import { PROMPT_PAUSE_MS } from './listen.js';
import { transcriberFailure } from './transcriberFailure.js';
import type { CallActivities, LineHeard } from './types.js';
import { watchLine } from './watchLine.js';

/** Frames in the window that decides the line is playing music or ringing (2 s). */
const SOUND_WINDOW = 100;
/** Share of the window that must be music for the line to be on hold. */
const MUSIC_SHARE = 0.8;
/** Ringback frames in the window that mean the call is being put through (1 s). */
const RINGBACK_FRAMES = 50;
/** Quiet this long, with nothing heard, ends listening. */
const DEFAULT_SILENCE_S = 10;

/**
 * Hears what the line does next, when nothing says what to expect (a call
 * exploring a menu it does not know): a prompt (its words, up to the pause
 * after them), music or ringback (a hold, or being put through), a person
 * speaking, silence, or the line ending.
 */
export function hearLineActivity(deps: ActivityDeps): CallActivities['hearLine'] {
  const hearLine = hearWhatComes(deps);
  return async (input) => {
    const began = Date.now();
    const heard = await hearLine(input);
    const heardMs = Date.now() - began;
    if (heard.kind === 'prompt')
      await recordEvents(deps, input.callId, [
        {
          key: 'menu-heard',
          type: 'call.menu_heard',
          data: { transcript: heard.transcript, endedBy: 'pause', heardMs, drifted: false },
        },
      ]);
    else if (heard.kind === 'human')
      await recordEvents(deps, input.callId, [
        {
          key: 'human-detected',
          type: 'call.human_detected',
          data: { reason: 'cues', heldMs: 0, transcript: heard.transcript, detectionMs: null },
        },
      ]);
    return heard;
  };
}

function hearWhatComes(deps: ActivityDeps): CallActivities['hearLine'] {
  return async ({ callId, timeoutS, silenceS }) => {
    const leg = await deps.legs.get(callId);
    if (leg.state === 'ended') return { kind: 'line-ended', transcript: '' };
    const classifier = await FrameClassifier.create(leg.sampleRate);
    const stream = deps.transcriber.start(leg);
    const stopHeartbeat = keepHeartbeating(1000);
    const finals: string[] = [];
    let interim = '';
    const heard = () => [...finals, interim].filter(Boolean).join(' ');
    // The last 2 s of frames, as kept counts of music and ringback: a frame costs no scan.
    const window = new Array<'music' | 'ringback' | 'other'>(SOUND_WINDOW).fill('other');
    const count = { music: 0, ringback: 0, other: SOUND_WINDOW };
    let cursor = 0;
    let framesSinceWords = 0;
    let speechRun = 0;
    const quietLimitFrames = ((silenceS ?? DEFAULT_SILENCE_S) * 1000) / 20;
    const pauseFrames = PROMPT_PAUSE_MS / 20;
    try {
      return await watchLine<LineHeard>(
        leg,
        {
          timeoutMs: timeoutS * 1000,
          onTimeout: () => ({ kind: heard() ? 'prompt' : 'silence', transcript: heard() }),
          onLineEnded: () => ({ kind: 'line-ended', transcript: heard() }),
        },
        (settle, fail) => {
          stream.onError((e) => fail(transcriberFailure(e)));
          stream.onTranscript((t) => {
            framesSinceWords = 0;
            if (t.final) {
              finals.push(t.text);
              interim = '';
            } else interim = t.text;
            if (scoreTranscript(heard()).score >= DEFAULT_CUE_THRESHOLD)
              settle({ kind: 'human', transcript: heard() });
          });
          return {
            audio: (frame) => {
              const c = classifier.classify(frame);
              const sound =
                c.label === 'music' ? 'music' : c.tone === 'ringback' ? 'ringback' : 'other';
              count[window[cursor]!] -= 1;
              count[sound] += 1;
              window[cursor] = sound;
              cursor = (cursor + 1) % SOUND_WINDOW;
              framesSinceWords += 1;
              speechRun = c.label === 'speech' ? speechRun + 1 : 0;
              // Words still coming, or a voice still speaking, are one prompt going on.
              const speaking = interim !== '' || speechRun > 5;
              if (!speaking && framesSinceWords >= pauseFrames && finals.length > 0)
                settle({ kind: 'prompt', transcript: heard() });
              else if (!speaking && count.ringback >= RINGBACK_FRAMES)
                settle({ kind: 'hold', transcript: heard(), sound: 'ringback' });
              else if (!speaking && count.music >= SOUND_WINDOW * MUSIC_SHARE)
                settle({ kind: 'hold', transcript: heard(), sound: 'music' });
              else if (framesSinceWords >= quietLimitFrames && !heard())
                settle({ kind: 'silence', transcript: '' });
            },
          };
        },
      );
    } finally {
      stopHeartbeat();
      await stream.close();
      classifier.dispose();
    }
  };
}
