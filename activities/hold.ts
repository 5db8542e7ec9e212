import { Context } from '@temporalio/activity';
import { HumanDetector, type HumanDecision } from '../media/analysis/humanDetector.js';
import type { ActivityDeps } from './deps.js';
import { keepHeartbeating } from './heartbeat.js';
import { recordEvents, type Discovery } from './recordEvents.js';
import { transcriberFailure } from './transcriberFailure.js';
import type {
  CallActivities,
  HoldProgress,
  HoldResult,
  KnownRecordings,
  RecordingsHeard,
} from './types.js';
import { watchLine } from './watchLine.js';

const HEARTBEAT_MS = 1000;

/**
 * One long activity for the whole hold, however long: it listens to the
 * far end frame by frame and returns when a live person is speaking, the
 * line drops, or the longest hold has passed. It knows the line's
 * recordings (from the flow and from earlier calls), so an announcement is
 * never taken for a person. Its heartbeat carries how long it has held and
 * what it heard, so a retry on another worker (after a crash) carries on.
 */
export function holdActivity(deps: ActivityDeps): CallActivities['hold'] {
  const holdOn = holdUntilPerson(deps);
  return async (input) => {
    await recordEvents(deps, input.callId, [
      { key: 'hold-started', type: 'call.hold_started', data: { timeoutS: input.timeoutS } },
    ]);
    const held = await holdOn(input);
    await recordEvents(deps, input.callId, heldDiscoveries(held));
    return held;
  };
}

/** What a hold found: each recording it heard once (by fingerprint, by opening words), and the person. */
function heldDiscoveries(held: HoldResult): Discovery[] {
  const found: Discovery[] = [
    ...held.heard.fingerprints.map((value): Discovery => ({
      key: `announcement/fingerprint/${value}`,
      type: 'call.announcement_heard',
      data: { kind: 'fingerprint', value },
    })),
    ...held.heard.openings.map((value): Discovery => ({
      key: `announcement/opening/${value}`,
      type: 'call.announcement_heard',
      data: { kind: 'opening', value },
    })),
  ];
  if (held.result === 'human')
    found.push({
      key: 'human-detected',
      type: 'call.human_detected',
      data: {
        reason: held.reason ?? 'cues',
        heldMs: held.heldMs,
        transcript: held.transcript,
        detectionMs: held.detectionMs,
      },
    });
  return found;
}

function holdUntilPerson(deps: ActivityDeps): CallActivities['hold'] {
  return async ({ callId, timeoutS, phoneNumber, known }) => {
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
    const line = await deps.recordings.known(phoneNumber);
    // The line is known when the flow says what its hold plays (even nothing but music), or earlier calls heard it.
    const lineKnown =
      known !== undefined ||
      line.fingerprints.length +
        line.openings.length +
        (line.candidates?.length ?? 0) +
        (line.unplaced ?? 0) >
        0;
    const knownNow = lineKnown ? merge(known, line, resumed?.heard) : undefined;
    deps.log.debug({ callId, known: knownNow }, 'line recordings known');
    const detector = await HumanDetector.create({
      sampleRate: leg.sampleRate,
      ...(knownNow ? { known: knownNow } : {}),
    });
    const heard = (): RecordingsHeard => merge(resumed?.heard, detector.recordingsHeard());
    const done = (
      result: HoldResult['result'],
      transcript: string | null,
      decision?: HumanDecision,
    ): HoldResult => ({
      result,
      heldMs: heldMs(),
      transcript,
      reason: decision?.reason ?? null,
      detectionMs: decision ? Math.max(0, decision.atMs - decision.speechStartMs) : null,
      heard: heard(),
    });
    if (leg.state === 'ended') {
      detector.dispose();
      return done('line-ended', null);
    }

    const stream = deps.transcriber.start(leg);
    const stopHeartbeat = keepHeartbeating(HEARTBEAT_MS, (): HoldProgress => ({
      heldMs: heldMs(),
      at: Date.now(),
      heard: heard(),
    }));
    let lastTranscript: string | null = null;
    try {
      return await watchLine<HoldResult>(
        leg,
        {
          timeoutMs: Math.max(0, timeoutS * 1000 - startedHeldMs),
          onTimeout: () => done('timeout', lastTranscript),
          onLineEnded: () => done('line-ended', lastTranscript),
        },
        (settle, fail) => {
          stream.onError((e) => fail(transcriberFailure(e)));
          const onHuman = (decision: HumanDecision) => {
            deps.log.info(
              {
                callId,
                transcript: decision.transcript,
                reason: decision.reason,
                cues: decision.cues,
                heldMs: heldMs(),
              },
              'human detected',
            );
            settle(done('human', decision.transcript, decision));
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
      deps.log.debug(
        { callId, segments: detector.segments().map((s) => [s.startMs, s.verdict]) },
        'hold segments',
      );
      stopHeartbeat();
      await stream.close();
      detector.dispose();
    }
  };
}

/** Recordings from several sources, each once; a fingerprint confirmed anywhere is no longer a candidate. */
function merge(...sources: (KnownRecordings | undefined)[]): Required<KnownRecordings> {
  const fingerprints = new Set<string>();
  const openings = new Set<string>();
  const candidates = new Set<string>();
  let unplaced = 0;
  for (const source of sources) {
    for (const f of source?.fingerprints ?? []) fingerprints.add(f);
    for (const o of source?.openings ?? []) openings.add(o);
    for (const c of source?.candidates ?? []) candidates.add(c);
    unplaced += source?.unplaced ?? 0;
  }
  return {
    fingerprints: [...fingerprints],
    openings: [...openings],
    candidates: [...candidates].filter((c) => !fingerprints.has(c)),
    unplaced,
  };
}
