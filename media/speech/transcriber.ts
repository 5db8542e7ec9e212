import type { CallLeg } from '../telephony/callLeg.js';

export interface Transcript {
  text: string;
  /** False for interim results that later words may revise. */
  final: boolean;
}

/**
 * Why a transcription stopped for good. `retryable` is false when trying
 * again cannot help (a rejected key, a bad request); a dropped connection
 * is retried inside the stream first and only reported when that fails.
 */
export class TranscriberError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'TranscriberError';
  }
}

/** A running speech-to-text stream over one call leg's far-end audio. */
export interface LiveTranscription {
  onTranscript(listener: (t: Transcript) => void): void;
  /** Called at most once, when the stream has stopped for good; no transcripts follow. */
  onError(listener: (error: TranscriberError) => void): void;
  close(): Promise<void>;
}

/** Starts speech-to-text on a leg: Deepgram or OpenAI over its audio, or the line's own captions. */
export interface Transcriber {
  readonly name: string;
  start(leg: CallLeg): LiveTranscription;
}

/**
 * The offline path: the simulated carrier sends captions (word by word,
 * then final) standing in for a streaming recogniser, so nothing leaves the
 * machine and tests are repeatable.
 */
export class LineCaptionTranscriber implements Transcriber {
  readonly name = 'line-captions';

  start(leg: CallLeg): LiveTranscription {
    const listeners: Array<(t: Transcript) => void> = [];
    const onCaption = (caption: Transcript) => {
      for (const l of listeners) l({ text: caption.text, final: caption.final });
    };
    leg.on('caption', onCaption);
    return {
      onTranscript: (listener) => listeners.push(listener),
      // Captions come with the line itself: they stop only when it does.
      onError: () => undefined,
      close: async () => leg.off('caption', onCaption),
    };
  }
}
