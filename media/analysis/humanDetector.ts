import type { SampleRate } from '../audio/pcm.js';
import { FrameClassifier, type FrameClass } from './frameClassifier.js';
import { scoreTranscript } from './transcriptCues.js';

export interface TranscriptUpdate {
  text: string;
  final: boolean;
}

export interface HumanDecision {
  /** Media time of the decision, ms since the detector started. */
  atMs: number;
  transcript: string;
  score: number;
  cues: string[];
}

export interface HumanDetectorOptions {
  sampleRate: SampleRate;
  /** Evidence needed, in cue points, before a speaker is taken for a live person. */
  threshold?: number;
  /** Announcements already known for this line (from earlier holds): never a person. */
  knownRecordings?: string[];
}

/** Frames over which speech must be present on the line for a decision (500 ms). */
const PRESENCE_WINDOW = 25;
/** Speech frames an utterance needs (300 ms) for its words to count. */
const MIN_UTTERANCE_SPEECH_FRAMES = 15;
/** Opening words that identify an utterance as one heard before. */
const OPENING_WORDS = 4;

/**
 * Decides, on a hold, that a live person has started talking. Two sources
 * must agree: the audio (speech, not music or silence, is on the line right
 * now) and what is being said (a person introduces themself and asks
 * something; a recording talks about queues and keys, and repeats itself).
 */
export class HumanDetector {
  private readonly classifier: FrameClassifier;
  private readonly threshold: number;
  private readonly labels: FrameClass[] = [];
  private readonly heardOpenings = new Set<string>();
  private readonly totals: Record<FrameClass, number> = {
    silence: 0,
    tone: 0,
    music: 0,
    speech: 0,
  };
  private utterance = '';
  private utteranceIsRecording = false;
  /** Speech frames heard since the current utterance began. */
  private utteranceSpeechFrames = 0;
  private frames = 0;
  private lastDecision: HumanDecision | undefined;

  constructor(options: HumanDetectorOptions) {
    this.classifier = new FrameClassifier(options.sampleRate);
    this.threshold = options.threshold ?? 3;
    for (const text of options.knownRecordings ?? []) this.rememberRecording(text);
  }

  /** Media time seen so far, in ms. */
  get elapsedMs(): number {
    return this.frames * 20;
  }

  /** How much of each kind of audio the detector has heard, in ms. */
  get heardMs(): Record<FrameClass, number> {
    return { ...this.totals };
  }

  /** Finals heard that were recordings: worth keeping with the flow for the next call. */
  get recordingOpenings(): string[] {
    return [...this.heardOpenings];
  }

  pushAudio(frame: Int16Array): HumanDecision | undefined {
    const { label } = this.classifier.classify(frame);
    this.frames += 1;
    this.totals[label] += 20;
    this.labels.push(label);
    if (this.labels.length > PRESENCE_WINDOW) this.labels.shift();
    if (label === 'speech') this.utteranceSpeechFrames += 1;
    return this.evaluate();
  }

  pushTranscript(update: TranscriptUpdate): HumanDecision | undefined {
    if (!this.utterance) {
      // A new utterance: count the speech heard from (just before) its first words.
      this.utteranceSpeechFrames = this.labels.filter((l) => l === 'speech').length;
    }
    this.utterance = update.text;
    const opening = openingOf(update.text);
    if (opening && this.heardOpenings.has(opening)) this.utteranceIsRecording = true;
    if (scoreTranscript(update.text).recording.length > 0) this.utteranceIsRecording = true;
    const decision = this.evaluate();
    if (update.final) {
      if (this.utteranceIsRecording || !decision) this.rememberRecording(update.text);
      this.utterance = '';
      this.utteranceIsRecording = false;
    }
    return decision;
  }

  private evaluate(): HumanDecision | undefined {
    if (this.lastDecision) return this.lastDecision;
    if (!this.utterance || this.utteranceIsRecording) return undefined;
    // The words must have come with speech on the line: now, or over the utterance (its final may come after it ends).
    const recentSpeech = this.labels.filter((l) => l === 'speech').length;
    if (
      recentSpeech < PRESENCE_WINDOW * 0.3 &&
      this.utteranceSpeechFrames < MIN_UTTERANCE_SPEECH_FRAMES
    )
      return undefined;
    const score = scoreTranscript(this.utterance);
    if (score.score < this.threshold) return undefined;
    this.lastDecision = {
      atMs: this.elapsedMs,
      transcript: this.utterance,
      score: score.score,
      cues: score.human,
    };
    return this.lastDecision;
  }

  private rememberRecording(text: string): void {
    const opening = openingOf(text);
    if (opening) this.heardOpenings.add(opening);
  }
}

function openingOf(text: string): string | undefined {
  const words = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s']/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  return words.length >= OPENING_WORDS ? words.slice(0, OPENING_WORDS).join(' ') : undefined;
}
