import type { RenderedClip } from '../audio/clipRenderer.js';

export type PlayResult = 'done' | 'stopped';

export interface PlayerEvents {
  /** A clip began to sound (music too, each time it resumes): the moment the ground truth logs it. */
  clipStarted(clip: RenderedClip, human: boolean): void;
  /** Captions standing in for streaming speech-to-text: words so far, then final. */
  caption(text: string, final: boolean): void;
  /** What the recogniser makes of a clip's words (e.g. with errors); the truth keeps the real caption. */
  recognise?(caption: string): string;
}

interface Sequence {
  clips: RenderedClip[];
  human: boolean;
  index: number;
  position: number;
  /** The words a caller's recogniser gets for the current clip. */
  words: string[];
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
  private music: { clip: RenderedClip; position: number; sounding: boolean } | undefined;

  constructor(
    private readonly frameSize: number,
    private readonly events: PlayerEvents,
  ) {}

  /** Plays clips in order; resolves when they end, or are stopped. */
  play(clips: RenderedClip[], human = false): Promise<PlayResult> {
    this.stop();
    if (clips.length === 0) return Promise.resolve('done');
    return new Promise((resolve) => {
      this.current = { clips, human, index: 0, position: 0, words: [], wordsShown: 0, resolve };
    });
  }

  /** Cuts the clips that are playing; a spoken clip's caption ends with the words heard so far. */
  stop(): void {
    const seq = this.current;
    if (!seq) return;
    this.current = undefined;
    if (seq.position > 0 && seq.wordsShown > 0) {
      this.events.caption(seq.words.slice(0, seq.wordsShown).join(' '), true);
    }
    seq.resolve('stopped');
  }

  /** Loops `clip` under whatever else plays, until set to undefined. */
  setMusic(clip: RenderedClip | undefined): void {
    this.music =
      clip && clip.audio.samples.length > 0 ? { clip, position: 0, sounding: false } : undefined;
  }

  get isPlaying(): boolean {
    return this.current !== undefined;
  }

  /** The next 20 ms of what the line carries. */
  nextFrame(): Int16Array {
    const frame = new Int16Array(this.frameSize);
    let filled = 0;
    while (filled < this.frameSize && this.current) filled = this.fillFromSequence(frame, filled);
    if (filled < this.frameSize && !this.current && this.music) this.fillFromMusic(frame, filled);
    return frame;
  }

  private fillFromMusic(frame: Int16Array, from: number): void {
    const music = this.music!;
    if (!music.sounding) {
      music.sounding = true;
      this.events.clipStarted(music.clip, false);
    }
    const samples = music.clip.audio.samples;
    let filled = from;
    while (filled < this.frameSize) {
      const take = Math.min(this.frameSize - filled, samples.length - music.position);
      frame.set(samples.subarray(music.position, music.position + take), filled);
      filled += take;
      music.position = (music.position + take) % samples.length;
    }
  }

  private fillFromSequence(frame: Int16Array, filled: number): number {
    const seq = this.current!;
    const clip = seq.clips[seq.index]!;
    if (seq.position === 0) this.begin(seq, clip);
    const samples = clip.audio.samples;
    const take = Math.min(frame.length - filled, samples.length - seq.position);
    frame.set(samples.subarray(seq.position, seq.position + take), filled);
    seq.position += take;
    if (seq.position >= samples.length) {
      if (seq.words.length > 0) this.events.caption(seq.words.join(' '), true);
      seq.index += 1;
      seq.position = 0;
      if (seq.index >= seq.clips.length) {
        this.current = undefined;
        seq.resolve('done');
      }
    } else this.revealWords(seq, samples.length);
    return filled + take;
  }

  private begin(seq: Sequence, clip: RenderedClip): void {
    if (this.music) this.music.sounding = false;
    this.events.clipStarted(clip, seq.human);
    const text = clip.caption ? (this.events.recognise?.(clip.caption) ?? clip.caption) : '';
    seq.words = text.split(/\s+/).filter(Boolean);
    seq.wordsShown = 0;
  }

  /** Words are spread evenly over the clip; each one that has been spoken is shown. */
  private revealWords(seq: Sequence, length: number): void {
    const due = Math.floor((seq.position / length) * seq.words.length);
    if (due > seq.wordsShown) {
      seq.wordsShown = due;
      this.events.caption(seq.words.slice(0, due).join(' '), false);
    }
  }
}
