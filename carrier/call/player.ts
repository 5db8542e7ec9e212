import type { PcmAudio } from '../../media/audio/pcm.js';
import type { RenderedClip } from '../audio/clipRenderer.js';

export type PlayResult = 'done' | 'stopped';

export interface PlayerEvents {
  /** A clip began to sound: the moment the ground truth logs it. */
  clipStarted(clip: RenderedClip, human: boolean): void;
  /** Captions standing in for streaming speech-to-text: words so far, then final. */
  caption(text: string, final: boolean): void;
}

interface Sequence {
  clips: RenderedClip[];
  human: boolean;
  index: number;
  position: number;
  wordsShown: number;
  resolve: (r: PlayResult) => void;
}

/**
 * What the far end is playing right now: a sequence of clips in the
 * foreground, and music looping underneath that pauses while anything else
 * plays and resumes where it left off.
 */
export class Player {
  private current: Sequence | undefined;
  private music: { audio: PcmAudio; position: number } | undefined;

  constructor(
    private readonly frameSize: number,
    private readonly events: PlayerEvents,
  ) {}

  /** Plays clips in order; resolves when they end, or are stopped. */
  play(clips: RenderedClip[], human = false): Promise<PlayResult> {
    this.stop();
    if (clips.length === 0) return Promise.resolve('done');
    return new Promise((resolve) => {
      this.current = { clips, human, index: 0, position: 0, wordsShown: 0, resolve };
    });
  }

  /** Cuts the clips that are playing; a spoken clip's caption ends with the words heard so far. */
  stop(): void {
    const seq = this.current;
    if (!seq) return;
    this.current = undefined;
    const clip = seq.clips[seq.index];
    if (clip?.caption && seq.position > 0) {
      const words = clip.caption.split(/\s+/).slice(0, seq.wordsShown);
      if (words.length > 0) this.events.caption(words.join(' '), true);
    }
    seq.resolve('stopped');
  }

  setMusic(audio: PcmAudio | undefined): void {
    this.music = audio && audio.samples.length > 0 ? { audio, position: 0 } : undefined;
  }

  get isPlaying(): boolean {
    return this.current !== undefined;
  }

  /** The next 20 ms of what the line carries. */
  nextFrame(): Int16Array {
    const frame = new Int16Array(this.frameSize);
    let filled = 0;
    while (filled < this.frameSize && this.current) filled = this.fillFromSequence(frame, filled);
    if (filled < this.frameSize && !this.current && this.music) {
      const { audio } = this.music;
      while (filled < this.frameSize) {
        const take = Math.min(this.frameSize - filled, audio.samples.length - this.music.position);
        frame.set(audio.samples.subarray(this.music.position, this.music.position + take), filled);
        filled += take;
        this.music.position = (this.music.position + take) % audio.samples.length;
      }
    }
    return frame;
  }

  private fillFromSequence(frame: Int16Array, filled: number): number {
    const seq = this.current!;
    const clip = seq.clips[seq.index]!;
    if (seq.position === 0) this.events.clipStarted(clip, seq.human);
    const samples = clip.audio.samples;
    const take = Math.min(frame.length - filled, samples.length - seq.position);
    frame.set(samples.subarray(seq.position, seq.position + take), filled);
    seq.position += take;
    if (clip.caption) this.revealWords(seq, clip.caption, samples.length);
    if (seq.position >= samples.length) {
      if (clip.caption) this.events.caption(clip.caption, true);
      seq.index += 1;
      seq.position = 0;
      seq.wordsShown = 0;
      if (seq.index >= seq.clips.length) {
        this.current = undefined;
        seq.resolve('done');
      }
    }
    return filled + take;
  }

  /** Words are spread evenly over the clip; each one that has been spoken is shown. */
  private revealWords(seq: Sequence, caption: string, length: number): void {
    const words = caption.split(/\s+/).filter(Boolean);
    if (seq.position >= length) return;
    const due = Math.floor((seq.position / length) * words.length);
    if (due > seq.wordsShown) {
      seq.wordsShown = due;
      this.events.caption(words.slice(0, due).join(' '), false);
    }
  }
}
