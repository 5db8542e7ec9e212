import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClipRenderer } from '../../carrier/audio/clipRenderer.js';
import { SimCall } from '../../carrier/call/simCall.js';
import { readTruth, summarizeTruth } from '../../carrier/call/truthSummary.js';
import type { LineConditions } from '../../carrier/line/lineConditions.js';
import type { LoadedScenario } from '../../carrier/scenario/load.js';
import type { Scenario } from '../../carrier/scenario/schema.js';
import { SimulatedPhones } from '../../carrier/userPhones.js';
import {
  HumanDetector,
  type HumanDecision,
  type KnownRecordings,
  type RecordingsHeard,
} from '../../media/analysis/humanDetector.js';
import type { SampleRate } from '../../media/audio/pcm.js';

/** One hold of a scenario: its queue node, played from the moment the caller joins it. */
export interface HoldCase {
  loaded: LoadedScenario;
  queue: string;
}

export interface HoldOutcome {
  scenario: string;
  queue: string;
  /** Media time the agent began to speak, ms after the caller joined the queue; null if it never did. */
  agentStartMs: number | null;
  decision: HumanDecision | null;
  /** Decided before the agent spoke: a transfer to a recording. */
  falseDecision: boolean;
  /** The agent gave up (or the replay's limit passed) before a decision. */
  missed: boolean;
  /** decision time − agent start, for a right decision. */
  latencyMs: number | null;
  heard: RecordingsHeard;
}

export interface ReplayOptions {
  renderer: ClipRenderer;
  sampleRate: SampleRate;
  captionWer: number;
  line?: LineConditions;
  known?: KnownRecordings;
  /** Longest media time replayed after the caller joins the queue. */
  limitMs?: number;
}

/** Every queue node of a scenario that leads to an agent, as a hold to replay. */
export function holdsOf(loaded: LoadedScenario): HoldCase[] {
  return Object.entries(loaded.scenario.nodes)
    .filter(([, node]) => node.type === 'queue')
    .map(([queue]) => ({ loaded, queue }));
}

/**
 * Plays one hold on the carrier's own call engine, on a virtual clock, and
 * feeds its audio and captions to the human detector exactly as a hold
 * activity would, without Temporal, a worker or a socket in between. The
 * detector's decision is scored against the carrier's ground truth.
 */
export async function replayHold(hold: HoldCase, options: ReplayOptions): Promise<HoldOutcome> {
  const scenario: Scenario = { ...hold.loaded.scenario, start: hold.queue, ring: 0 };
  const truthDir = mkdtempSync(path.join(tmpdir(), 'hold-replay-'));
  const detector = await HumanDetector.create({
    sampleRate: options.sampleRate,
    ...(options.known ? { known: options.known } : {}),
  });
  let answered = false;
  let decision: HumanDecision | undefined;
  const call = new SimCall({
    callId: `replay-${randomUUID()}`,
    to: scenario.number,
    sampleRate: options.sampleRate,
    loaded: { ...hold.loaded, scenario },
    renderer: options.renderer,
    phones: new SimulatedPhones(200),
    truthDir,
    orphanTimeoutMs: 3_600_000,
    realtime: false,
    ...(options.captionWer > 0 ? { captionWer: options.captionWer } : {}),
    ...(options.line ? { line: options.line } : {}),
    onEnded: () => undefined,
  });
  call.attach({
    send: (message) => {
      if (message.type === 'progress' && message.state === 'answered') answered = true;
      if (message.type === 'caption' && answered && !decision)
        decision = detector.pushTranscript({ text: message.text, final: message.final });
    },
    sendAudio: (frame) => {
      if (answered && !decision) decision = detector.pushAudio(frame);
    },
  });
  try {
    await call.prepared;
    call.start();
    const limit = options.limitMs ?? 180_000;
    while (!decision && !call.mediaClock.isStopped && call.mediaClock.now() < limit)
      await call.mediaClock.advance(100);
    const { agentStartMs } = summarizeTruth(await readTruth(call.truth.file));
    const falseDecision =
      decision !== undefined && (agentStartMs === null || decision.atMs < agentStartMs);
    return {
      scenario: scenario.id,
      queue: hold.queue,
      agentStartMs,
      decision: decision ?? null,
      falseDecision,
      missed: decision === undefined && agentStartMs !== null,
      latencyMs:
        decision && !falseDecision && agentStartMs !== null ? decision.atMs - agentStartMs : null,
      heard: detector.recordingsHeard(),
    };
  } finally {
    call.hangupByCaller('replay over');
    detector.dispose();
    rmSync(truthDir, { recursive: true, force: true });
  }
}
