import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { StepType } from '../flows/model.js';

/** What a call is asked to do. Secrets travel separately: only their names are here. */
export interface CallInput {
  phoneNumber: string;
  company: string;
  intent: string;
  /** The user's own phone: E.164, sip:, or sim: on the simulated carrier. */
  userDevice: string;
  /** The flow version to follow, pinned when the call starts; null to explore the menus. */
  flow: { id: string; version: number } | null;
  /** Names of the secrets given with the call (the values are in the vault). */
  secretNames: string[];
  /** Seconds to let the line ring before giving up. */
  answerTimeoutS?: number;
  /** How soon a hold whose worker died is retried on another worker. */
  holdHeartbeatTimeoutS?: number;
}

/** Dials an exploring call makes at most: the first, and two after dead ends. */
export const MAX_DIALS = 3;

export const CALL_OUTCOMES = [
  'connected',
  'busy',
  'no-answer',
  'disconnected',
  'dropped',
  'hold-timeout',
  'transfer-failed',
  'flow-ended',
  'navigation-failed',
  'cancelled',
  'failed',
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export type CallPhase =
  'dialing' | 'navigating' | 'holding' | 'transferring' | 'connected' | 'ended';

export interface CallStatus {
  callId: string;
  company: string;
  phoneNumber: string;
  phase: CallPhase;
  flow: { id: string; version: number } | null;
  step: { id: string; type: StepType; description: string } | null;
  /** When the current (or last) hold began, ISO time; null before any hold. */
  holdStartedAt: string | null;
  /** Seconds on hold, as of the workflow's last event. */
  holdSeconds: number;
  /** Seconds on holds that have ended (a call may hold more than once). */
  earlierHoldSeconds: number;
  lastTranscript: string | null;
  outcome: CallOutcome | null;
  reason: string | null;
  /** Menu decisions made so far: by the rules, and by a language model. */
  decisions: { rules: number; model: number };
  /** Dials made: more than one when a way through the menus led nowhere and the call dialled again. */
  dials: number;
  /** Dead ends met on this call (absent from calls started before they were counted). */
  deadEnds: number;
  startedAt: string;
  endedAt: string | null;
}

export interface CallResult {
  outcome: CallOutcome;
  reason: string | null;
  holdSeconds: number;
}

/** Hang up and stop, wherever the call is. */
export const cancelCallSignal = defineSignal<[{ reason?: string }]>('cancel');
/** Bring the user in now, without waiting for a person to be detected. */
export const connectNowSignal = defineSignal('connectNow');
export const callStatusQuery = defineQuery<CallStatus>('status');

/** What became of keys or words a person sent by hand. */
export interface ByHandResult {
  sent: boolean;
  /** Why not, when not sent. */
  reason: string | null;
}
/** Keys a person sends by hand (DTMF notation, e.g. "2", "1w#", "{secret:account}#"). */
export const sendDigitsUpdate = defineUpdate<ByHandResult, [{ digits: string }]>('sendDigits');
/** Words a person has said to the far end by hand (synthesized). */
export const sayUpdate = defineUpdate<ByHandResult, [{ text: string }]>('say');

/** Failure types activities raise that the workflow acts on. */
export const LINE_ENDED = 'LineEnded';
export const FLOW_NOT_FOUND = 'FlowNotFound';
/** Why keys or words sent by hand were refused: the request itself, or the call's state. */
export const BY_HAND_INVALID = 'ByHandInvalid';
export const BY_HAND_NOT_ON_LINE = 'ByHandNotOnLine';
export const MISSING_SECRET = 'MissingSecret';
