import type { listen } from '@deepgram/sdk';

/** What one Deepgram `Results` message says, in the project's terms. */
export interface HeardResult {
  /** The words of this span, trimmed; may be empty (silence, music). */
  text: string;
  /**
   * True once Deepgram will not revise the span. Finals are consecutive
   * pieces of the speech, each following the last, and each interim covers
   * only the audio since the last final: neither repeats earlier finals.
   */
  final: boolean;
  /**
   * Deepgram's endpointing heard the speaker stop after this span. A final
   * without it may end mid-sentence: Deepgram also finalizes long speech.
   */
  speechFinal: boolean;
  /** Length of the span, in seconds. */
  seconds: number;
  /** Where the span ends, in seconds of the audio sent on this connection. */
  end: number;
}

/**
 * Reads a message from the socket, which delivers whatever JSON arrived:
 * only well-formed `Results` count; anything else (Metadata, SpeechStarted,
 * UtteranceEnd, a message type added later) is not a transcript.
 */
export function readResults(message: unknown): HeardResult | undefined {
  if (!isResults(message)) return undefined;
  const transcript = message.channel.alternatives[0]?.transcript ?? '';
  const final = message.is_final === true;
  return {
    text: typeof transcript === 'string' ? transcript.trim() : '',
    final,
    speechFinal: final && message.speech_final === true,
    seconds: message.duration,
    end: message.start + message.duration,
  };
}

/** Deepgram's `UtteranceEnd`: no word for `utterance_end_ms` after the last one. */
export function isUtteranceEnd(message: unknown): boolean {
  return messageType(message) === 'UtteranceEnd';
}

/** The `type` of a control message from Deepgram, for the log. */
export function messageType(message: unknown): string | undefined {
  if (message && typeof message === 'object' && 'type' in message) {
    const { type } = message;
    if (typeof type === 'string') return type;
  }
  return undefined;
}

function isResults(message: unknown): message is listen.ListenV1Results {
  if (messageType(message) !== 'Results') return false;
  const m = message as Partial<Record<keyof listen.ListenV1Results, unknown>>;
  const channel = m.channel as Partial<listen.ListenV1Results.Channel> | undefined;
  return (
    typeof m.start === 'number' &&
    typeof m.duration === 'number' &&
    typeof channel === 'object' &&
    channel !== null &&
    Array.isArray(channel.alternatives)
  );
}
