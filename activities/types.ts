import type { FlowStep } from '../flows/model.js';
import type { DeadEnd, MenuContext, NavigatorDecision } from '../navigator/decision.js';
import type { KnownRecordings, RecordingsHeard } from '../media/analysis/humanDetector.js';

/**
 * The activities a call workflow runs, and what crosses the workflow
 * boundary. Everything here lands in the Temporal history: no secrets,
 * only `{secret:NAME}` references.
 */
export type DialOutcome = 'answered' | 'busy' | 'no-answer' | 'disconnected';

export interface ListenResult {
  transcript: string;
  /** Why listening stopped: the prompt ended (a pause after speech, or the expected closing words), a condition matched, the time ran out, or the line ended. */
  endedBy: 'pause' | 'expected' | 'match' | 'timeout' | 'line-ended';
  /** The menu heard is not the one the flow expects (another option on the step's key, other words): the flow is out of date. */
  drifted?: boolean;
}

export interface HoldResult {
  result: 'human' | 'line-ended' | 'timeout';
  heldMs: number;
  /** What the person (or the last recording) was saying when the hold ended. */
  transcript: string | null;
  /** Why a person was declared: a new voice on a line whose recordings are known, or words that read like a person. */
  reason: 'new-voice' | 'cues' | 'waits-for-answer' | null;
  /** From the start of the person's speech to the decision, ms; null when no person was declared. */
  detectionMs: number | null;
  /** The line's recordings heard on this hold, to be known on the next call. */
  heard: RecordingsHeard;
}

/** What the line did next, for a call finding its own way through a menu. */
export interface LineHeard {
  /** A prompt ended (its words, up to the pause after them); music or ringback began; a person spoke; nothing; the line ended. */
  kind: 'prompt' | 'hold' | 'human' | 'silence' | 'line-ended';
  transcript: string;
  /** For a hold: what the line plays. */
  sound?: 'music' | 'ringback';
}

/** Where a resumed HOLD picks up: kept in the activity's heartbeat. */
export interface HoldProgress {
  heldMs: number;
  /** Wall-clock time of this heartbeat, epoch ms. */
  at: number;
  heard: RecordingsHeard;
}

export type { KnownRecordings, RecordingsHeard };

export interface TransferResult {
  bridged: boolean;
  reason: string | null;
}

export interface CallActivities {
  loadFlowSteps(input: { flowId: string; version: number }): Promise<FlowStep[]>;
  dial(input: {
    callId: string;
    to: string;
    answerTimeoutS: number;
  }): Promise<{ outcome: DialOutcome }>;
  sendDtmf(input: { callId: string; dtmf: string }): Promise<void>;
  listen(input: {
    callId: string;
    timeoutS: number;
    patterns: string[];
    /** What the prompt is known to end with (the step's metadata.expect). */
    expect?: string;
    /** The whole menu as the flow knows it (the step's metadata.menu), to notice it has changed. */
    menu?: string;
    /** The keys the flow presses after this prompt, whose option must still be there. */
    dtmf?: string;
  }): Promise<ListenResult>;
  hold(input: {
    callId: string;
    timeoutS: number;
    phoneNumber: string;
    /** Recordings the flow knows this hold plays (the HOLD step's metadata.recordings). */
    known?: KnownRecordings;
  }): Promise<HoldResult>;
  /** Hears what the line does next (exploring a menu no flow describes). */
  hearLine(input: { callId: string; timeoutS: number; silenceS?: number }): Promise<LineHeard>;
  /** Decides what to do at a menu: the rules first, a language model where they are unsure (when one is configured). */
  decide(input: { callId: string; context: MenuContext }): Promise<NavigatorDecision>;
  /** The ways through this number's menus known to lead nowhere. */
  loadDeadEnds(input: { phoneNumber: string }): Promise<DeadEnd[]>;
  /** Records that a way through the menus led nowhere, for this call's next dial and later calls. */
  recordDeadEnd(input: {
    callId: string;
    phoneNumber: string;
    deadEnd: DeadEnd;
    dial: number;
  }): Promise<void>;
  /** Keeps what a hold heard of the line's recordings for the next call to it. */
  rememberRecordings(input: { phoneNumber: string; heard: RecordingsHeard }): Promise<void>;
  /** Says `text` (synthesized), or plays `audio` (a WAV file of the audio folder), to the far end. */
  speak(input: { callId: string; text?: string; audio?: string }): Promise<void>;
  transfer(input: { callId: string; device: string }): Promise<TransferResult>;
  hangup(input: { callId: string }): Promise<void>;
  recordOutcome(input: {
    callId: string;
    outcome: string;
    reason: string | null;
    /** Menu decisions made on the call, by the rules and by a language model. */
    decisions?: { rules: number; model: number };
    /** Seconds on hold in all (absent from calls started before it was recorded). */
    holdSeconds?: number;
  }): Promise<void>;
}

export { LINE_ENDED, FLOW_NOT_FOUND, MISSING_SECRET } from '../workflows/definitions.js';
