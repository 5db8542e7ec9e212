import type { PcmAudio, SampleRate } from '../audio/pcm.js';

/**
 * The telephony port: one call leg to a company's line, whatever carries it
 * (FreeSWITCH through drachtio in production, the simulated carrier in tests
 * and demos). The leg belongs to the media server, not to the worker: a
 * worker that restarts attaches again by call id and the call goes on.
 */
export type LineState = 'ringing' | 'answered' | 'busy' | 'no-answer' | 'disconnected' | 'ended';

export const FAILED_LINE_STATES = ['busy', 'no-answer', 'disconnected'] as const;

/** Text the line carries alongside its audio (the simulated carrier's captions). */
export interface LineCaption {
  text: string;
  final: boolean;
}

export interface CallLegEvents {
  /** 20 ms of far-end audio. */
  audio: (frame: Int16Array) => void;
  caption: (caption: LineCaption) => void;
  state: (state: LineState, cause: string | undefined) => void;
  /** The control connection to the media server was lost; the call itself may live on. */
  detached: (reason: string) => void;
}

export interface CallLeg {
  readonly callId: string;
  readonly sampleRate: SampleRate;
  readonly state: LineState;
  readonly bridged: boolean;
  /** False once the control connection is gone; attach again to go on. */
  readonly attached: boolean;
  on<E extends keyof CallLegEvents>(event: E, listener: CallLegEvents[E]): void;
  off<E extends keyof CallLegEvents>(event: E, listener: CallLegEvents[E]): void;
  /** Resolves with `answered`, or the state that ended the attempt, or `ringing` at the timeout. */
  waitForAnswer(timeoutMs: number): Promise<LineState>;
  /** Sends DTMF keys (0-9, *, #, A-D) and resolves when the line has carried them. */
  sendDtmf(digits: string): Promise<void>;
  /** Plays audio to the far end in real time; `transcript` is what it says. */
  speak(audio: PcmAudio, transcript: string): Promise<void>;
  /** Rings the user's device and joins it to the call; rejects if it is not answered. */
  bridge(device: string): Promise<void>;
  hangup(): Promise<void>;
  /** Lets go of the leg without ending the call. */
  detach(): void;
}

export interface DialRequest {
  callId: string;
  to: string;
  from?: string;
}

export interface TelephonyPort {
  readonly sampleRate: SampleRate;
  /** Places the call; dialling twice with one call id finds the same call. */
  dial(request: DialRequest): Promise<CallLeg>;
  /** Attaches to a call already placed, e.g. by a worker that has since died. */
  attach(callId: string): Promise<CallLeg>;
  close(): Promise<void>;
}

export class LegDetachedError extends Error {}
export class TransferFailedError extends Error {}
