import type { HeardResult } from './deepgramResults.js';
import type { Transcript } from './transcriber.js';

/**
 * Turns Deepgram's results into one final transcript per utterance.
 * Deepgram finalizes long speech in pieces, mid-sentence, while a final
 * transcript is taken downstream as a finished utterance (a prompt's
 * sentence, the end of a speech segment). So finalized pieces are held,
 * interims carry the whole utterance so far, and the joined pieces become
 * final only when Deepgram says the speaker stopped: `speech_final`, or
 * `UtteranceEnd`, whichever comes first.
 *
 * The pieces outlive a connection: audio is let go of once finalized, so a
 * new connection after a drop neither hears those words again nor knows of
 * them, and must not be needed to end their utterance (see `result`).
 */
export class UtteranceAssembler {
  private pieces: string[] = [];
  /** Words Deepgram has heard since the last piece, not yet finalized. */
  private interim = '';
  /** UtteranceEnd came while words were still interim: the final that settles them ends it. */
  private endAwaited = false;

  /** `silenceSeconds`: a finalized wordless span this long ends an utterance, as UtteranceEnd would. */
  constructor(private readonly silenceSeconds: number) {}

  /** The transcript one `Results` message makes, if any. */
  result(r: HeardResult): Transcript | undefined {
    if (!r.final) {
      this.interim = r.text;
      return r.text ? this.sofar() : undefined;
    }
    this.interim = '';
    if (r.text) this.pieces.push(r.text);
    // A connection opened after a drop times UtteranceEnd only from words it heard itself;
    // a long finalized silence after the pieces is the same pause, told another way.
    const silence = !r.text && r.seconds >= this.silenceSeconds;
    if (r.speechFinal || this.endAwaited || silence) return this.flush();
    return r.text ? this.sofar() : undefined;
  }

  /** Deepgram's UtteranceEnd: the utterance ends now, or once its last interim words are final. */
  utteranceEnd(): Transcript | undefined {
    if (!this.interim) return this.flush();
    this.endAwaited = true;
    return undefined;
  }

  /** Ends the utterance under way (the stream is stopping); undefined when nothing was finalized. */
  flush(): Transcript | undefined {
    const text = this.pieces.join(' ');
    this.pieces = [];
    this.interim = '';
    this.endAwaited = false;
    return text ? { text, final: true } : undefined;
  }

  private sofar(): Transcript {
    return { text: [...this.pieces, this.interim].filter(Boolean).join(' '), final: false };
  }
}
