import { wordsOf } from '../../flows/promptMatch.js';
import type { SampleRate } from '../audio/pcm.js';
import { decodeFingerprint, encodeFingerprint } from './fingerprint.js';
import { FrameClassifier, type FrameClass } from './frameClassifier.js';
import { KnownOpenings } from './openingFollower.js';
import { DEFAULT_FALSE_TRANSFER_BUDGET, type PersonEvidence, weigh } from './personEvidence.js';
import { RecordingFollower } from './recordingFollower.js';
import { RecordingTally } from './recordingTally.js';
import { type CueScore, scoreTranscript } from './transcriptCues.js';

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
  /** Fingerprints of speech heard once on earlier calls that may be a recording (heard again, it is one). */
  candidates?: string[];
  /** Speech earlier calls heard too close to the person to keep: recordings, probably, of which nothing is known. */
  unplaced?: number;
}

/** What a hold heard of the line's recordings: confirmed ones, and speech that may be one (heard again on a later call, it is). */
export interface RecordingsHeard {
  fingerprints: string[];
  openings: string[];
  candidates: string[];
  /** Speech heard shortly before the person was declared, not kept: it may have been the person. */
  unplaced?: number;
}

export interface HumanDecision {
  /** Media time of the decision, ms since the detector started. */
  atMs: number;
  /** Media time the speech taken for a person began, ms: the decision came atMs - speechStartMs after it. */
  speechStartMs: number;
  transcript: string;
  /** `new-voice`: speech unlike any of the line's known recordings; `cues`: words that read like a person; `waits-for-answer`: words, then a quiet line. */
  reason: 'new-voice' | 'cues' | 'waits-for-answer';
  cues: string[];
}

/** A stretch of speech heard on the hold, as it can be kept for the next call to the line. */
export interface HeardSegment {
  fingerprint: string;
  startMs: number;
  verdict: 'recording' | 'human' | 'unknown';
  /** The recogniser heard words in it: without them it may be music taken for speech. */
  worded: boolean;
}

export interface HumanDetectorOptions {
  sampleRate: SampleRate;
  /** The share of decisions that may be a recording taken for a person (personEvidence). */
  falseTransferBudget?: number;
  /** The line's recordings, when known (from the flow or earlier calls); absent for a line heard for the first time. */
  known?: KnownRecordings;
}

/** Cue points (transcriptCues) that make words alone a person's at even odds (the default budget). */
export const DEFAULT_CUE_THRESHOLD = 3;
/** Non-speech frames that end a speech segment (500 ms: longer than a pause between sentences). */
const SEGMENT_HANGOVER = 25;
/** Speech frames an utterance needs (300 ms) for its words to count. */
const MIN_UTTERANCE_SPEECH_FRAMES = 15;
/** Speech frames a segment needs to be kept and recognised again (shorter: a cough, a click of the line). */
const MIN_KEPT_SPEECH_FRAMES = 20;
/** How long after its speech a recogniser's words may come (the last word's, after the segment's hangover). */
const WORDS_LAG_MS = 1_000;
/** Music heard before words (ms of it on the hold) for the quiet after them to count. */
const MUSIC_BEFORE_MS = 3_000;
/** The quiet after words that is a person waiting for an answer: longer than a recording's pause before the music. */
const QUIET_AFTER_WORDS_MS = 2_000;
/** Below the music's level by this much (dB), the line is quiet: line noise and comfort noise, not music. */
const QUIET_BELOW_MUSIC_DB = 15;
/** Words that must follow a known opening before the utterance is taken for that recording. */
const RECORDING_BY_WORDS = 3;
/** Speech this long before a person was declared may have been them: it is not learned as a recording. */
const PERSON_LEAD_MS = 10_000;

/** The text from its `index`-th word on (words as wordsOf counts them), punctuation and case kept. */
function wordsFrom(text: string, index: number): string {
  const word = /[\p{L}\p{N}']+/gu;
  for (let i = 0; i < index; i++) if (!word.exec(text)) return '';
  const next = word.exec(text);
  return next ? text.slice(next.index) : '';
}

/** An utterance's words as evidence, against the openings known when they were heard. */
interface Said {
  words: string[];
  /** How many of them, from the first, follow a known opening. */
  followed: number;
  /** They follow a known opening far enough to be that recording's. */
  isOpening: boolean;
  /** Cues of the words after those that follow an opening. */
  cues: CueScore;
}

interface Segment {
  startFrame: number;
  follower: RecordingFollower;
  quietRun: number;
  /** An utterance within it read as a recording (queue talk, a known opening). */
  recordingByWords: boolean;
  /** The recogniser heard words while it lasted. */
  hadWords: boolean;
  /** Its words followed the opening of a recording heard before. */
  heardBefore: boolean;
}

/**
 * Decides, on a hold, that a live person has started talking, and never
 * takes a recording for one. Speech must be on the line (the frame
 * classifier); then the evidence is weighed (personEvidence):
 *
 * - the audio, followed against every recording known for the line or
 *   heard on this hold: speech is a recording only while it keeps matching
 *   one (RecordingFollower);
 * - how complete that knowledge is: the Good-Turing chance that the next
 *   recording is one not heard yet (RecordingTally);
 * - the words: queue talk or a known opening make it a recording; an
 *   introduction or a question to the caller, a person's (transcriptCues).
 */
export class HumanDetector {
  private readonly budget: number;
  private readonly lineHeardBefore: boolean;
  private readonly references: Uint16Array[] = [];
  /** For each reference, the recording of the tally it is a hearing of. */
  private readonly referenceRecording: (number | undefined)[] = [];
  private readonly tally = new RecordingTally();
  private readonly openings: KnownOpenings;
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
  /** What the utterance's words say, read once per transcript update (audio frames come far more often). */
  private said: Said | undefined;
  private utteranceStartMs = 0;
  private lastClosed: { startMs: number; endMs: number } | undefined;
  /** Level of the hold's music, dBFS (a running average over music frames). */
  private musicLevelDb = -30;
  /** Words that ended undecided, while the line after them is listened to. */
  private awaiting:
    | {
        evidence: PersonEvidence;
        cues: string[];
        text: string;
        startMs: number;
        quietFrames: number;
      }
    | undefined;
  private utteranceSpeechFrames = 0;
  /** A segment that ended within the current utterance was a recording: the rest of the utterance is its words. */
  private utteranceFollowedRecording = false;
  private decision: HumanDecision | undefined;

  private constructor(
    private readonly classifier: FrameClassifier,
    options: HumanDetectorOptions,
  ) {
    this.budget = options.falseTransferBudget ?? DEFAULT_FALSE_TRANSFER_BUDGET;
    const known = options.known;
    this.openings = new KnownOpenings(known?.openings ?? []);
    const reference = (fingerprint: string, count: () => number) => {
      const hashes = decodeFingerprint(fingerprint);
      if (hashes.length === 0) return;
      this.references.push(hashes);
      this.referenceRecording.push(count());
    };
    for (const fingerprint of known?.fingerprints ?? [])
      reference(fingerprint, () => this.tally.addKnown());
    for (const fingerprint of known?.candidates ?? [])
      reference(fingerprint, () => this.tally.addNew());
    for (let i = 0; i < (known?.unplaced ?? 0); i++) this.tally.addNew();
    // A line heard before whose hold played nothing but music: that was all it played, once at least.
    if (known && this.tally.hearings === 0) this.tally.addKnown();
    this.lineHeardBefore = known !== undefined;
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
    const current = this.segment ? [this.describe(this.segment, this.segment.follower.frames)] : [];
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
    // The decided utterance's own segments are the person's, whatever verdict they were given as they ended.
    const personFrom = this.decision?.speechStartMs ?? Infinity;
    // Unconfirmed stretches without words are most likely music taken for speech: nothing to count.
    const unknown = segments.filter(
      (s) => s.verdict === 'unknown' && s.worded && s.startMs < personFrom,
    );
    return {
      fingerprints: segments
        .filter((s) => s.verdict === 'recording' && s.startMs < personFrom)
        .map((s) => s.fingerprint),
      openings: [...this.heardOpenings],
      candidates: unknown.filter((s) => s.startMs < doubtfulFrom).map((s) => s.fingerprint),
      unplaced: unknown.filter((s) => s.startMs >= doubtfulFrom).length,
    };
  }

  pushAudio(frame: Int16Array): HumanDecision | undefined {
    const { label, hash, features } = this.classifier.classify(frame);
    this.frames += 1;
    this.totals[label] += 20;
    if (label === 'music' && !this.awaiting)
      this.musicLevelDb = 0.95 * this.musicLevelDb + 0.05 * features.levelDb;
    const afterWords = this.decision ? undefined : this.listenAfterWords(label, features.levelDb);
    if (afterWords) return afterWords;
    const isSpeech = label === 'speech';
    if (isSpeech) {
      this.utteranceSpeechFrames += 1;
      this.segment ??= this.openSegment();
      this.segment.quietRun = 0;
    } else if (this.segment) {
      this.segment.quietRun += 1;
    }
    if (this.segment) {
      this.segment.follower.push(hash, isSpeech);
      if (this.segment.quietRun >= SEGMENT_HANGOVER) this.closeSegment();
    }
    return this.evaluate();
  }

  pushTranscript(update: TranscriptUpdate): HumanDecision | undefined {
    if (!this.utterance) {
      this.utteranceSpeechFrames = this.segment?.follower.frames.length ?? 0;
      // Its words began with the speech on the line now, or with a segment that has only just ended.
      const last = this.lastClosed;
      this.utteranceStartMs = this.segment
        ? this.segment.startFrame * 20
        : last && this.elapsedMs - last.endMs <= WORDS_LAG_MS
          ? last.startMs
          : this.elapsedMs;
    }
    // A short utterance (a lone "Hello.") may end before its segment reached a scheduled check.
    if (update.final) this.segment?.follower.checkNow();
    this.utterance = update.text;
    this.said = this.read(update.text);
    const { words, isOpening } = this.said;
    if (this.segment && words.length > 0) this.segment.hadWords = true;
    const decision = this.evaluate();
    if (update.final) {
      const found = decision ? undefined : this.evidenceNow();
      // Only where music played before the words is a quiet line after them telling.
      this.awaiting =
        found && this.totals.music >= MUSIC_BEFORE_MS
          ? { ...found, text: update.text, startMs: this.utteranceStartMs, quietFrames: 0 }
          : undefined;
      if (!decision && words.length > 0) {
        // Words of a recording: queue talk, or following a known opening far enough to be it.
        const byWords = isOpening || scoreTranscript(update.text).recording.length > 0;
        const following = this.segment?.follower.state.kind === 'following';
        // Heard again on this hold, it is a recording; kept for later calls only once known to be one.
        if (byWords || following) this.heardOpenings.push(update.text);
        if (this.segment && byWords) this.segment.recordingByWords = true;
        // Its words are those of a recording heard before (on this hold, or known for the line).
        if (this.segment && isOpening) this.segment.heardBefore = true;
        this.openings.add(update.text);
      }
      this.utterance = '';
      this.said = undefined;
      this.utteranceFollowedRecording = false;
      // The recogniser heard the utterance end: whatever speaks next is a new segment, even with no pause between.
      if (this.segment) this.closeSegment();
    }
    return decision;
  }

  dispose(): void {
    this.classifier.dispose();
  }

  /** The words as evidence: how far they follow a known opening, and the cues of the rest. */
  private read(text: string): Said {
    const words = wordsOf(text);
    const followed = this.openings.followedWords(words);
    // Words that repeat a recording are its words: only what was said after them is evidence of who speaks.
    const own = followed > 0 && followed < words.length ? wordsFrom(text, followed) : text;
    return {
      words,
      followed,
      isOpening: this.openings.follows(words, RECORDING_BY_WORDS),
      cues: scoreTranscript(own),
    };
  }

  private evaluate(): HumanDecision | undefined {
    if (this.decision) return this.decision;
    const found = this.evidenceNow();
    if (!found) return undefined;
    const weighed = weigh(found.evidence, this.budget);
    if (!weighed.decided) return undefined;
    const segment = this.segment;
    if (weighed.by === 'new-voice' && segment) {
      // The novelty was found some frames ago: the recording may have begun later in the segment.
      segment.follower.checkNow();
      if (segment.follower.isFollowing) return undefined;
    }
    return this.decide(weighed.by, found.cues);
  }

  /** The evidence of the utterance so far; undefined when it is a recording's, or not yet on the line. */
  private evidenceNow(): { evidence: PersonEvidence; cues: string[] } | undefined {
    const said = this.said;
    if (!this.utterance || !said) return undefined;
    const segment = this.segment;
    // The words must come with speech on the line: now, or over the utterance (its final may come after).
    if (!segment && this.utteranceSpeechFrames < MIN_UTTERANCE_SPEECH_FRAMES) return undefined;
    const { words, followed, cues } = said;
    const audio = segment?.follower.state.kind;
    if (audio === 'following' || this.utteranceFollowedRecording) return undefined;
    if (followed === words.length && followed >= RECORDING_BY_WORDS) return undefined;
    return {
      evidence: {
        cuePoints: cues.score,
        novelAudio: audio === 'novel' || audio === 'broke-off',
        recordingsKnown: this.tally.hearings > 0,
        unseenChance: this.tally.unseenChance(),
        // Words say nothing of novelty until there is something known for them to differ from.
        newWords: this.openings.size === 0 && !this.lineHeardBefore ? 0 : words.length - followed,
      },
      cues: cues.human,
    };
  }

  /** After words that did not decide: the line staying quiet, music not back, is a person waiting for an answer. */
  private listenAfterWords(label: FrameClass, levelDb: number): HumanDecision | undefined {
    const awaiting = this.awaiting;
    if (!awaiting) return undefined;
    const quiet =
      label === 'silence' ||
      (label !== 'speech' && levelDb < this.musicLevelDb - QUIET_BELOW_MUSIC_DB);
    if (!quiet) {
      this.awaiting = undefined;
      return undefined;
    }
    awaiting.quietFrames += 1;
    if (awaiting.quietFrames * 20 < QUIET_AFTER_WORDS_MS) return undefined;
    this.awaiting = undefined;
    const weighed = weigh({ ...awaiting.evidence, waitsForAnswer: true }, this.budget);
    if (!weighed.decided) return undefined;
    this.utteranceStartMs = awaiting.startMs;
    this.utterance = awaiting.text;
    const decision = this.decide(weighed.by, awaiting.cues);
    this.utterance = '';
    return decision;
  }

  private decide(reason: HumanDecision['reason'], cues: string[]): HumanDecision {
    const speechStartMs = this.utteranceStartMs;
    this.decision = {
      atMs: this.elapsedMs,
      speechStartMs,
      transcript: this.utterance,
      reason,
      cues,
    };
    return this.decision;
  }

  private openSegment(): Segment {
    // Only frames from the first labelled speech go in: what came before (music) would match any other stretch of that music.
    return {
      startFrame: this.frames - 1,
      follower: new RecordingFollower(() => this.references),
      quietRun: 0,
      recordingByWords: false,
      hadWords: false,
      heardBefore: false,
    };
  }

  private closeSegment(): void {
    const segment = this.segment!;
    this.segment = undefined;
    this.lastClosed = { startMs: segment.startFrame * 20, endMs: this.elapsedMs };
    if (this.utterance && segment.follower.state.kind === 'following')
      this.utteranceFollowedRecording = true;
    if (this.utterance && this.said?.isOpening) segment.heardBefore = true;
    const all = segment.follower.frames;
    const hashes = all.slice(0, all.length - segment.quietRun);
    if (segment.follower.speechFrameCount < MIN_KEPT_SPEECH_FRAMES) return;
    const described = this.describe(segment, hashes);
    this.heard.push(described);
    if (described.verdict === 'human') return;
    // This hold's recordings are known for the rest of it, and counted: a repeat says the hold plays few.
    // Only speech the recogniser heard words in counts: music taken for speech is matched, not tallied.
    const state = segment.follower.state;
    const reference = state.kind === 'following' ? state.reference : undefined;
    let recording = reference === undefined ? undefined : this.referenceRecording[reference];
    if (segment.hadWords) {
      if (recording === undefined) {
        // Known by its words though not by its audio (a flow gives openings): not a recording heard only once.
        recording = segment.heardBefore ? this.tally.addKnown() : this.tally.addNew();
        if (reference !== undefined) this.referenceRecording[reference] = recording;
      } else {
        this.tally.heardAgain(recording);
      }
    }
    this.referenceRecording.push(recording);
    this.references.push(Uint16Array.from(hashes));
  }

  private describe(segment: Segment, hashes: readonly number[]): HeardSegment {
    const isHuman = this.decision !== undefined && this.decision.atMs >= segment.startFrame * 20;
    const recording = segment.follower.state.kind === 'following' || segment.recordingByWords;
    return {
      fingerprint: encodeFingerprint(hashes),
      startMs: segment.startFrame * 20,
      verdict: isHuman ? 'human' : recording ? 'recording' : 'unknown',
      worded: segment.hadWords,
    };
  }
}
