import { wordsOf } from '../../flows/promptMatch.js';
import type { SampleRate } from '../audio/pcm.js';
import { MIN_MATCH_FRAMES, decodeFingerprint, encodeFingerprint, matches } from './fingerprint.js';
import { FrameClassifier, type FrameClass } from './frameClassifier.js';
import { scoreTranscript } from './transcriptCues.js';

export interface TranscriptUpdate {
  text: string;
  final: boolean;
}

/** What a line is known to play while callers hold: learned from earlier calls, or given with the flow. */
export interface KnownRecordings {
  /** Audio fingerprints (base64) of recorded announcements and prompts. */
  fingerprints: string[];
  /** Their opening words, as a recogniser hears them. */
  openings: string[];
}

/** What a hold heard of the line's recordings: confirmed ones, and speech that may be one (heard again on a later call, it is). */
export interface RecordingsHeard extends KnownRecordings {
  candidates: string[];
}

export interface HumanDecision {
  /** Media time of the decision, ms since the detector started. */
  atMs: number;
  /** Media time the speech taken for a person began, ms: the decision came atMs - speechStartMs after it. */
  speechStartMs: number;
  transcript: string;
  /** `new-voice`: speech unlike any of the line's known recordings; `cues`: words that read like a person. */
  reason: 'new-voice' | 'cues';
  cues: string[];
}

/** A stretch of speech heard on the hold, as it can be kept for the next call to the line. */
export interface HeardSegment {
  fingerprint: string;
  startMs: number;
  verdict: 'recording' | 'human' | 'unknown';
}

export interface HumanDetectorOptions {
  sampleRate: SampleRate;
  /** Evidence needed, in cue points, when nothing is known of the line. */
  threshold?: number;
  /** The line's recordings, when known (from the flow or earlier calls); absent for a line heard for the first time. */
  known?: KnownRecordings;
}

/** Cue points (transcriptCues) that make words a person's, on a line whose recordings are not known. */
export const DEFAULT_CUE_THRESHOLD = 3;
/** Non-speech frames that end a speech segment (500 ms: longer than a pause between sentences). */
const SEGMENT_HANGOVER = 25;
/** How far (frames) a recording's speech label may start off from where it started before. */
const ONSET_SLACK = 6;
/** Segment lengths (frames) at which its fingerprint is compared with the known ones. */
const CHECK_AT = new Set([10, 15, 20, 30, 45, 70, 100]);
/** Speech frames an utterance needs (300 ms) for its words to count. */
const MIN_UTTERANCE_SPEECH_FRAMES = 15;
/** Words of an opening that identify a recording. */
const OPENING_WORDS = 4;
/** Speech this long before a person was declared may have been them: it is not learned as a recording. */
const PERSON_LEAD_MS = 10_000;
/** One word is enough when it is how people, not recordings, start. */
const PERSON_OPENERS = new Set(['hi', 'hello', 'hey', 'hiya', 'howdy']);

interface Segment {
  startFrame: number;
  hashes: number[];
  quietRun: number;
  recording: boolean;
  /** The fingerprint has been compared (often enough frames) and matched nothing known. */
  novel: boolean;
}

/**
 * Decides, on a hold, that a live person has started talking, and never
 * takes a recording for one. Speech must be on the line (the frame
 * classifier) and then:
 *
 * - On a line whose recordings are known (from earlier calls, or the flow),
 *   a voice whose audio matches none of them and whose first words start
 *   none of them, and carry nothing of a recording, is a person: decided
 *   within a word or two.
 * - Otherwise the words must read like a person (an introduction, a
 *   question to the caller) with nothing of a recording (queue talk, keys
 *   to press, a sentence heard before on this hold).
 */
export class HumanDetector {
  private readonly threshold: number;
  private readonly knownHashes: Uint16Array[];
  private readonly knownOpenings: string[][];
  private readonly lineIsKnown: boolean;
  private readonly heard: HeardSegment[] = [];
  private readonly heardOpenings: string[] = [];
  private readonly totals: Record<FrameClass, number> = {
    silence: 0,
    tone: 0,
    music: 0,
    speech: 0,
  };
  private segment: Segment | undefined;
  private frames = 0;
  private utterance = '';
  private utteranceIsRecording = false;
  private utteranceSpeechFrames = 0;
  private decision: HumanDecision | undefined;

  private constructor(
    private readonly classifier: FrameClassifier,
    options: HumanDetectorOptions,
  ) {
    this.threshold = options.threshold ?? DEFAULT_CUE_THRESHOLD;
    this.knownHashes = (options.known?.fingerprints ?? [])
      .map(decodeFingerprint)
      .filter((h) => h.length > 0);
    this.knownOpenings = (options.known?.openings ?? [])
      .map((o) => wordsOf(o).slice(0, OPENING_WORDS))
      .filter((o) => o.length > 0);
    // Given at all (even empty: a queue known to play only music), the line's recordings are known.
    this.lineIsKnown = options.known !== undefined;
  }

  static async create(options: HumanDetectorOptions): Promise<HumanDetector> {
    return new HumanDetector(await FrameClassifier.create(options.sampleRate), options);
  }

  /** Media time seen so far, in ms. */
  get elapsedMs(): number {
    return this.frames * 20;
  }

  /** How much of each kind of audio the detector has heard, in ms. */
  get heardMs(): Record<FrameClass, number> {
    return { ...this.totals };
  }

  /** The speech segments heard so far, with what each was taken for. */
  segments(): HeardSegment[] {
    const current = this.segment ? [this.describe(this.segment)] : [];
    return [...this.heard, ...current];
  }

  /**
   * What the line played, to be known on the next call: recordings this
   * hold confirmed (they repeated, matched a known one, or spoke like one),
   * and unconfirmed speech as candidates, except shortly before a person
   * was declared (the person may have been speaking already).
   */
  recordingsHeard(): RecordingsHeard {
    const segments = this.segments();
    const doubtfulFrom = this.decision ? this.decision.atMs - PERSON_LEAD_MS : Infinity;
    return {
      fingerprints: segments.filter((s) => s.verdict === 'recording').map((s) => s.fingerprint),
      openings: [...this.heardOpenings],
      candidates: segments
        .filter((s) => s.verdict === 'unknown' && s.startMs < doubtfulFrom)
        .map((s) => s.fingerprint),
    };
  }

  pushAudio(frame: Int16Array): HumanDecision | undefined {
    const { label, hash } = this.classifier.classify(frame);
    this.frames += 1;
    this.totals[label] += 20;
    if (label === 'speech') {
      this.utteranceSpeechFrames += 1;
      this.segment ??= this.openSegment();
      this.segment.quietRun = 0;
    } else if (this.segment) {
      this.segment.quietRun += 1;
    }
    if (this.segment) {
      this.segment.hashes.push(hash);
      if (CHECK_AT.has(this.segment.hashes.length)) this.checkFingerprint(this.segment);
      if (this.segment.quietRun >= SEGMENT_HANGOVER) this.closeSegment();
    }
    return this.evaluate();
  }

  pushTranscript(update: TranscriptUpdate): HumanDecision | undefined {
    if (!this.utterance) this.utteranceSpeechFrames = this.segment ? this.segment.hashes.length : 0;
    // A short utterance (a lone "Hello.") may end before its segment reached a scheduled check.
    const segment = this.segment;
    if (
      update.final &&
      segment &&
      !segment.novel &&
      !segment.recording &&
      segment.hashes.length >= MIN_MATCH_FRAMES
    ) {
      this.checkFingerprint(segment);
    }
    this.utterance = update.text;
    const words = wordsOf(update.text);
    if (scoreTranscript(update.text).recording.length > 0 || this.startsLikeKnown(words, true)) {
      this.utteranceIsRecording = true;
    }
    const decision = this.evaluate();
    if (update.final) {
      if (!decision && words.length > 0) {
        // Heard again on this hold, it is a recording; kept for later calls only once known to be one.
        this.knownOpenings.push(words.slice(0, OPENING_WORDS));
        if (this.utteranceIsRecording || this.segment?.recording)
          this.heardOpenings.push(update.text);
      }
      if (this.segment && this.utteranceIsRecording) this.segment.recording = true;
      this.utterance = '';
      this.utteranceIsRecording = false;
      // The recogniser heard the utterance end: whatever speaks next is a new segment, even with no pause between.
      if (this.segment) this.closeSegment();
    }
    return decision;
  }

  dispose(): void {
    this.classifier.dispose();
  }

  private evaluate(): HumanDecision | undefined {
    if (this.decision) return this.decision;
    const segment = this.segment;
    if (!this.utterance || this.utteranceIsRecording || segment?.recording) return undefined;
    // The words must come with speech on the line: now, or over the utterance (its final may come after).
    if (!segment && this.utteranceSpeechFrames < MIN_UTTERANCE_SPEECH_FRAMES) return undefined;
    const words = wordsOf(this.utterance);
    if (this.lineIsKnown && segment?.novel && !this.startsLikeKnown(words, false)) {
      if (words.length >= 2 || (words.length === 1 && PERSON_OPENERS.has(words[0]!))) {
        return this.decide('new-voice', []);
      }
    }
    const score = scoreTranscript(this.utterance);
    if (score.score >= this.threshold) return this.decide('cues', score.human);
    return undefined;
  }

  private decide(reason: HumanDecision['reason'], cues: string[]): HumanDecision {
    const speechStartMs = this.segment
      ? this.segment.startFrame * 20
      : (this.heard.at(-1)?.startMs ?? this.elapsedMs);
    this.decision = {
      atMs: this.elapsedMs,
      speechStartMs,
      transcript: this.utterance,
      reason,
      cues,
    };
    return this.decision;
  }

  /**
   * Whether the words so far are the start of a recording's opening (heard
   * on this hold, or known for the line). A complete match allows one word
   * misheard; while only some words are in, they must not rule a known
   * opening out yet (`complete` false).
   */
  private startsLikeKnown(words: string[], complete: boolean): boolean {
    if (words.length === 0) return false;
    return this.knownOpenings.some((opening) => {
      const k = Math.min(words.length, opening.length);
      if (complete && k < 3) return false;
      let misses = 0;
      for (let i = 0; i < k; i++) if (words[i] !== opening[i]) misses += 1;
      return misses <= (k >= 3 ? 1 : 0);
    });
  }

  private openSegment(): Segment {
    // Only frames labelled speech go in: what came before (music) would match any other stretch of that music.
    return { startFrame: this.frames - 1, hashes: [], quietRun: 0, recording: false, novel: false };
  }

  private checkFingerprint(segment: Segment): void {
    if (segment.recording) return;
    const probe = segment.hashes;
    const earlier = this.heard
      .filter((h) => h.verdict !== 'human')
      .map((h) => decodeFingerprint(h.fingerprint));
    const known = [...this.knownHashes, ...earlier].some((reference) =>
      matches(probe, reference, ONSET_SLACK),
    );
    segment.recording = known;
    segment.novel = !known;
  }

  private closeSegment(): void {
    const segment = this.segment!;
    this.segment = undefined;
    const speechFrames = segment.hashes.length - segment.quietRun;
    // Too short to be worth recognising again (a cough, a click of the line).
    if (speechFrames < 20) return;
    this.heard.push(this.describe({ ...segment, hashes: segment.hashes.slice(0, speechFrames) }));
  }

  private describe(segment: Segment): HeardSegment {
    const isHuman = this.decision !== undefined && this.decision.atMs >= segment.startFrame * 20;
    return {
      fingerprint: encodeFingerprint(segment.hashes),
      startMs: segment.startFrame * 20,
      verdict: isHuman ? 'human' : segment.recording ? 'recording' : 'unknown',
    };
  }
}
