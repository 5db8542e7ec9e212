import type { FlowStep } from '../flows/model.js';

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
}

export interface HoldResult {
  result: 'human' | 'line-ended' | 'timeout';
  heldMs: number;
  /** What the person (or the last recording) was saying when the hold ended. */
  transcript: string | null;
  /** Recorded announcements heard on this hold, by their opening words. */
  recordings: string[];
}

/** Where a resumed HOLD picks up: kept in the activity's heartbeat. */
export interface HoldProgress {
  heldMs: number;
  /** Wall-clock time of this heartbeat, epoch ms. */
  at: number;
  recordings: string[];
}

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
  }): Promise<ListenResult>;
  hold(input: { callId: string; timeoutS: number }): Promise<HoldResult>;
  /** Says `text` (synthesized), or plays `audio` (a WAV file of the audio folder), to the far end. */
  speak(input: { callId: string; text?: string; audio?: string }): Promise<void>;
  transfer(input: { callId: string; device: string }): Promise<TransferResult>;
  hangup(input: { callId: string }): Promise<void>;
  recordOutcome(input: { callId: string; outcome: string; reason: string | null }): Promise<void>;
}

export { LINE_ENDED, FLOW_NOT_FOUND, MISSING_SECRET } from '../workflows/definitions.js';
