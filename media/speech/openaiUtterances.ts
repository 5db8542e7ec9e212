import { FRAME_MS, type SampleRate } from '../audio/pcm.js';
import { VoiceActivityDetector } from '../analysis/vad.js';

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

/**
 * Cuts a stream of 20 ms frames into utterances with the WebRTC VAD:
 * per-file recognisers (OpenAI's) need the speech in pieces, each ending
 * at a pause.
 */
export class UtteranceSegmenter {
  private readonly endFrames: number;
  private readonly maxFrames: number;
  private readonly preRollFrames: number;
  private readonly minVoicedFrames: number;
  private readonly tailFrames: number;
  private preRoll: Int16Array[] = [];
  private current: Int16Array[] | undefined;
  private voiced = 0;
  private silentRun = 0;

  private constructor(
    private readonly vad: VoiceActivityDetector,
    options: UtteranceOptions,
  ) {
    const frames = (ms: number) => Math.max(1, Math.round(ms / FRAME_MS));
    this.endFrames = frames(options.endSilenceMs ?? 600);
    this.maxFrames = frames(options.maxUtteranceMs ?? 15_000);
    this.preRollFrames = frames(options.preRollMs ?? 300);
    this.minVoicedFrames = frames(options.minVoicedMs ?? 200);
    this.tailFrames = Math.min(this.endFrames, frames(options.tailMs ?? 200));
  }

  static async create(
    rate: SampleRate,
    options: UtteranceOptions = {},
  ): Promise<UtteranceSegmenter> {
    // The most aggressive mode: line noise and hiss should not open an utterance.
    return new UtteranceSegmenter(await VoiceActivityDetector.create(rate, 3), options);
  }

  get inUtterance(): boolean {
    return this.current !== undefined;
  }

  /** Takes one frame; returns an utterance's samples when this frame ended one. */
  push(frame: Int16Array): Int16Array | undefined {
    const voice = this.vad.isVoice(frame);
    if (!this.current) {
      if (!voice) {
        this.preRoll.push(frame);
        if (this.preRoll.length > this.preRollFrames) this.preRoll.shift();
        return undefined;
      }
      this.current = this.preRoll;
      this.preRoll = [];
      this.voiced = 0;
      this.silentRun = 0;
    }
    this.current.push(frame);
    if (voice) {
      this.voiced++;
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
    if (!frames || this.voiced < this.minVoicedFrames) return undefined;
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
    this.vad.dispose();
  }
}
