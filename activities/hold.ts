import { Context } from '@temporalio/activity';
import { HumanDetector, type HumanDecision } from '../media/analysis/humanDetector.js';
import type { ActivityDeps } from './deps.js';
import { keepHeartbeating } from './heartbeat.js';
import type { CallActivities, HoldProgress, HoldResult } from './types.js';
import { watchLine } from './watchLine.js';

const HEARTBEAT_MS = 1000;

/**
 * One long activity for the whole hold, however long: it listens to the
 * far end frame by frame and returns when a live person is speaking, the
 * line drops, or the longest hold has passed. Its heartbeat carries how long
 * it has held, so a retry on another worker (after a crash) carries on the
 * count instead of starting over.
 */
export function holdActivity(deps: ActivityDeps): CallActivities['hold'] {
  return async ({ callId, timeoutS }) => {
    const context = Context.current();
    const resumed = context.info.heartbeatDetails as HoldProgress | undefined;
    // Time passes on hold even while no worker listens (between a crash and the retry): count it.
    const startedHeldMs = resumed ? resumed.heldMs + Math.max(0, Date.now() - resumed.at) : 0;
    const began = Date.now();
    const heldMs = () => startedHeldMs + (Date.now() - began);
    const leg = await deps.legs.get(callId);
    if (resumed)
      deps.log.info(
        { callId, heldMs: startedHeldMs, attempt: context.info.attempt },
        'resuming hold',
      );
    const done = (result: HoldResult['result'], transcript: string | null = null): HoldResult => ({
      result,
      heldMs: heldMs(),
      transcript,
      recordings: detector.recordingOpenings,
    });
    const detector = new HumanDetector({
      sampleRate: leg.sampleRate,
      knownRecordings: resumed?.recordings ?? [],
    });
    if (leg.state === 'ended') return done('line-ended');

    const stream = deps.transcriber.start(leg);
    const progress = (): HoldProgress => ({
      heldMs: heldMs(),
      at: Date.now(),
      recordings: detector.recordingOpenings,
    });
    const stopHeartbeat = keepHeartbeating(HEARTBEAT_MS, progress);
    let lastTranscript: string | null = null;
    try {
      return await watchLine<HoldResult>(
        leg,
        {
          timeoutMs: Math.max(0, timeoutS * 1000 - startedHeldMs),
          onTimeout: () => done('timeout', lastTranscript),
          onLineEnded: () => done('line-ended', lastTranscript),
        },
        (settle) => {
          const onHuman = (decision: HumanDecision) => {
            deps.log.info(
              {
                callId,
                transcript: decision.transcript,
                cues: decision.cues,
                heldMs: progress().heldMs,
              },
              'human detected',
            );
            settle(done('human', decision.transcript));
          };
          stream.onTranscript((t) => {
            lastTranscript = t.text;
            const decision = detector.pushTranscript(t);
            if (decision) onHuman(decision);
          });
          return {
            audio: (frame) => {
              const decision = detector.pushAudio(frame);
              if (decision) onHuman(decision);
            },
          };
        },
      );
    } finally {
      stopHeartbeat();
      await stream.close();
    }
  };
}
