import { MIN_MATCH_FRAMES, bestAlignment, matchThreshold, windowErrorRate } from './fingerprint.js';

/** Segment lengths (frames) at which a segment not yet following a recording is compared with them. */
const CHECK_AT = new Set([10, 15, 20, 30, 45, 70, 100]);
/** How far (frames) a recording's speech label may start off from where it started before. */
const ONSET_SLACK = 6;
/** How far into a segment (frames) its recording may start, and the steps it is looked for at. */
const LATE_START_FRAMES = 40;
const LATE_START_STEP = 8;
/** Frames a probe needs past where it starts. */
const MIN_PROBE_FRAMES = 10;
/** While following, the latest stretch is compared this often (frames)... */
const RECHECK_EVERY = 5;
/** ...over this many of the latest frames that were speech... */
const WINDOW_SPEECH_FRAMES = 15;
/** ...allowing the two to drift apart by this many frames (clock skew, a dropped packet). */
const DRIFT = 2;
/**
 * Bit error rate above which the latest stretch is no longer the recording.
 * A replay stays under 0.15, a coded and noisy one under 0.25; other speech
 * at the best of five shifts over 15 frames comes down to about 0.37.
 */
const BREAK_OFF_BER = 0.32;
/** Speech frames past the reference's end that mean the speaker went on beyond the recording. */
const PAST_END_FRAMES = 10;

/** What a segment of speech is, as far as its audio tells. */
export type FollowState =
  /** Too short to say yet. */
  | { kind: 'unheard' }
  /** Compared, and like none of the recordings. */
  | { kind: 'novel' }
  /** Following recording `reference` so far. */
  | { kind: 'following'; reference: number; offset: number }
  /** Followed recording `reference`, then went elsewhere at frame `atFrame` of the segment: new speech from there. */
  | { kind: 'broke-off'; reference: number; atFrame: number };

/**
 * Follows one segment of speech, frame by frame, against the recordings a
 * line is known to play: it is a recording only while its audio keeps
 * matching one. A match that breaks off (the same greeting, then other
 * words) makes what follows new speech, not more of the recording.
 */
export class RecordingFollower {
  private readonly hashes: number[] = [];
  private readonly speechFrames: number[] = [];
  private sinceCheck = 0;
  private pastEnd = 0;
  state: FollowState = { kind: 'unheard' };

  constructor(private readonly references: () => readonly Uint16Array[]) {}

  get frames(): readonly number[] {
    return this.hashes;
  }

  /** Whether the segment is following a recording now. */
  get isFollowing(): boolean {
    return this.state.kind === 'following';
  }

  /** How many of its frames were speech (the rest are pauses within it). */
  get speechFrameCount(): number {
    return this.speechFrames.length;
  }

  push(hash: number, isSpeech: boolean): void {
    const index = this.hashes.length;
    this.hashes.push(hash);
    if (isSpeech) this.speechFrames.push(index);
    const state = this.state;
    if (state.kind === 'following') this.keepFollowing(state, index, isSpeech);
    else if (state.kind !== 'broke-off' && CHECK_AT.has(this.hashes.length)) this.lookUp();
  }

  /** Compares now, whatever the length: a short utterance that ended before a scheduled check, or before a decision. */
  checkNow(): void {
    if (this.state.kind === 'unheard' || this.state.kind === 'novel') {
      if (this.hashes.length >= MIN_MATCH_FRAMES) this.lookUp();
    }
  }

  private lookUp(): void {
    const references = this.references();
    let best: { reference: number; offset: number; ber: number } | undefined;
    // The recording may start some way into the segment: music or noise taken for speech can come first.
    for (let start = 0; start <= LATE_START_FRAMES; start += LATE_START_STEP) {
      const probe = this.hashes.slice(start);
      if (probe.length < MIN_PROBE_FRAMES) break;
      references.forEach((reference, i) => {
        const alignment = bestAlignment(probe, reference, ONSET_SLACK);
        if (alignment.ber <= matchThreshold(probe.length) && (!best || alignment.ber < best.ber))
          best = { reference: i, ber: alignment.ber, offset: alignment.offset - start };
      });
    }
    if (best) {
      this.state = { kind: 'following', reference: best.reference, offset: best.offset };
      this.sinceCheck = 0;
      this.pastEnd = 0;
    } else if (this.hashes.length >= 10) {
      this.state = { kind: 'novel' };
    }
  }

  private keepFollowing(
    state: Extract<FollowState, { kind: 'following' }>,
    index: number,
    isSpeech: boolean,
  ): void {
    const reference = this.references()[state.reference]!;
    if (index + state.offset >= reference.length + DRIFT) {
      if (isSpeech) this.pastEnd += 1;
      if (this.pastEnd >= PAST_END_FRAMES) this.breakOff(state, index);
      return;
    }
    this.sinceCheck += 1;
    if (this.sinceCheck < RECHECK_EVERY) return;
    this.sinceCheck = 0;
    const window = this.speechFrames.slice(-WINDOW_SPEECH_FRAMES);
    // Only speech frames count: pauses on a noisy line hash at random.
    if (window.length < WINDOW_SPEECH_FRAMES) return;
    const ber = windowErrorRate(this.hashes, window, reference, state.offset, DRIFT);
    if (ber > BREAK_OFF_BER) this.breakOff(state, window[0]!);
  }

  private breakOff(state: Extract<FollowState, { kind: 'following' }>, atFrame: number): void {
    this.state = { kind: 'broke-off', reference: state.reference, atFrame };
  }
}
