import { FRAME_MS, type SampleRate } from '../audio/pcm.js';
import { FrameClassifier } from '../analysis/frameClassifier.js';

export interface UtteranceOptions {
  /** Non-speech that ends an utterance: longer than the pause between a menu's sentences. */
  endSilenceMs?: number;
  /** An utterance is cut here and sent anyway, so a long greeting is not heard only at its end. */
  maxUtteranceMs?: number;
  /** Audio kept from before the first voiced frame: the VAD is late on soft onsets. */
  preRollMs?: number;
  /** Voice below this is a click or a breath, not worth a request. */
  minVoicedMs?: number;
  /** Non-speech kept after the last voiced frame, so the last word is not clipped. */
  tailMs?: number;
}

/** Speech-labelled audio an utterance needs to be worth a request. */
const MIN_SPEECH_MS = 200;
/**
 * Share of an utterance's voiced frames that must be labelled speech. Over
 * the whole of Debian's five hold tracks, the stretches of music that open
 * an utterance have at most 43% (a third would let some through); Asterisk's
 * prompts and eSpeak mostly have over 55%, only a few short words less.
 */
const MIN_SPEECH_SHARE = 0.5;

/**
 * Cuts a stream of 20 ms frames into utterances: per-file recognisers
 * (OpenAI's) need the speech in pieces, each ending at a pause. The WebRTC
 * VAD alone also fires on hold music, nearly without a break, which would
 * upload the music and run it into the prompt that follows; so the frame
 * classifier's label decides too. Music and tones are pauses here, and an
 * utterance is sent only when enough of it is labelled speech.
 */
export class UtteranceSegmenter {
  private readonly endFrames: number;
  private readonly maxFrames: number;
  private readonly preRollFrames: number;
  private readonly minVoicedFrames: number;
  private readonly tailFrames: number;
  private readonly minSpeechFrames: number;
  private preRoll: Int16Array[] = [];
  private current: Int16Array[] | undefined;
  /** Frames of the utterance the VAD heard a voice in, music included. */
  private voiced = 0;
  /** Frames of the utterance the classifier labelled speech. */
  private speech = 0;
  private silentRun = 0;

  private constructor(
    private readonly classifier: FrameClassifier,
    options: UtteranceOptions,
  ) {
    const frames = (ms: number) => Math.max(1, Math.round(ms / FRAME_MS));
    this.endFrames = frames(options.endSilenceMs ?? 600);
    this.maxFrames = frames(options.maxUtteranceMs ?? 15_000);
    this.preRollFrames = frames(options.preRollMs ?? 300);
    this.minVoicedFrames = frames(options.minVoicedMs ?? 200);
    this.tailFrames = Math.min(this.endFrames, frames(options.tailMs ?? 200));
    this.minSpeechFrames = frames(MIN_SPEECH_MS);
  }

  static async create(
    rate: SampleRate,
    options: UtteranceOptions = {},
  ): Promise<UtteranceSegmenter> {
    // Its VAD runs in the most aggressive mode: line noise and hiss should not open an utterance.
    return new UtteranceSegmenter(await FrameClassifier.create(rate), options);
  }

  get inUtterance(): boolean {
    return this.current !== undefined;
  }

  /** Takes one frame; returns an utterance's samples when this frame ended one. */
  push(frame: Int16Array): Int16Array | undefined {
    const { voice, label } = this.classifier.classify(frame);
    // A speech onset after music is labelled music for a moment: the pre-roll keeps it.
    const speaking = voice && label !== 'music' && label !== 'tone';
    if (!this.current) {
      if (!speaking) {
        this.preRoll.push(frame);
        if (this.preRoll.length > this.preRollFrames) this.preRoll.shift();
        return undefined;
      }
      this.current = this.preRoll;
      this.preRoll = [];
      this.voiced = 0;
      this.speech = 0;
      this.silentRun = 0;
    }
    this.current.push(frame);
    if (voice) this.voiced++;
    if (label === 'speech') this.speech++;
    if (speaking) {
      this.silentRun = 0;
    } else {
      this.silentRun++;
    }
    if (this.silentRun >= this.endFrames || this.current.length >= this.maxFrames) {
      return this.flush();
    }
    return undefined;
  }

  /** Ends the utterance under way (the audio stopped); undefined when there is none worth sending. */
  flush(): Int16Array | undefined {
    const frames = this.current;
    this.current = undefined;
    if (!frames || this.voiced < this.minVoicedFrames || !this.soundsLikeSpeech()) return undefined;
    const keep = frames.length - Math.max(0, this.silentRun - this.tailFrames);
    const size = frames.reduce((n, f, i) => (i < keep ? n + f.length : n), 0);
    const samples = new Int16Array(size);
    let at = 0;
    for (let i = 0; i < keep; i++) {
      samples.set(frames[i]!, at);
      at += frames[i]!.length;
    }
    return samples;
  }

  dispose(): void {
    this.classifier.dispose();
  }

  /** Music the classifier took for speech now and then has too little of it to be sent. */
  private soundsLikeSpeech(): boolean {
    return this.speech >= this.minSpeechFrames && this.speech >= this.voiced * MIN_SPEECH_SHARE;
  }
}
