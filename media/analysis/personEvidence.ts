/**
 * The evidence that the speech on a hold is a live person, as log-odds
 * (nats), weighed against a stated budget of false transfers: a person is
 * declared once the chance that it is a recording falls to the budget.
 */

/** The share of decisions that may be a recording: one in fifty. */
export const DEFAULT_FALSE_TRANSFER_BUDGET = 0.02;

/**
 * One cue point of transcriptCues, in nats. Three points (an introduction
 * and a greeting, say) were always taken as enough on a line heard for the
 * first time; at even odds that is the default budget.
 */
export const NATS_PER_CUE_POINT = Math.log(49) / 3;

/**
 * A word heard over audio unlike every known recording, that starts none of
 * their openings either: a known recording rarely both sounds and reads
 * unlike itself, so each such word (up to two) halves its odds four times over.
 */
const NEW_WORD_NATS = 1.4;
const NEW_WORDS_COUNTED = 2;

/**
 * The line went quiet after the words, where music played before them: a
 * recording hands back to the music, a person waits for an answer. Worth
 * two cue points: with one of its own (a question, a greeting) it decides.
 */
const WAITS_FOR_ANSWER_NATS = 2 * NATS_PER_CUE_POINT;

export interface PersonEvidence {
  /** Cue points of the words so far (transcriptCues), recording cues included. */
  cuePoints: number;
  /** The speech's audio matches none of the recordings heard or known, or broke off from the one it matched. */
  novelAudio: boolean;
  /** Recordings are known for the line, or heard on this hold: novelty is measured against something. */
  recordingsKnown: boolean;
  /** Good-Turing chance that the next recording is one not heard yet (RecordingTally). */
  unseenChance: number;
  /** Words so far that follow no known opening (0 when they follow one). */
  newWords: number;
  /** The words have ended and the line stayed quiet since, with no music back. */
  waitsForAnswer?: boolean;
}

export interface Weighed {
  logOdds: number;
  /** What carried it over the line: the voice's novelty, the words alone, or the quiet after them. */
  by: 'new-voice' | 'cues' | 'waits-for-answer';
  decided: boolean;
}

export function decisionLogOdds(budget: number): number {
  return Math.log((1 - budget) / budget);
}

/**
 * Weighs the evidence. Novel speech is a person unless it is a recording
 * not yet heard: its prior odds are (1 − u) / u for u the unseen chance,
 * strengthened by words that follow no known opening. On a line that knows
 * nothing yet, novelty says nothing and the words decide alone.
 */
export function weigh(evidence: PersonEvidence, budget: number): Weighed {
  const fromWords = evidence.cuePoints * NATS_PER_CUE_POINT;
  const u = Math.min(Math.max(evidence.unseenChance, 1e-6), 1 - 1e-6);
  // Audio unlike the recordings whose words still follow one of them is a recording heard badly, until a word departs;
  // and where most recordings were heard only once, a new voice is as likely another of them: novelty says nothing.
  const fromVoice =
    evidence.novelAudio && evidence.recordingsKnown && evidence.newWords > 0 && u < 0.5
      ? Math.log((1 - u) / u) + NEW_WORD_NATS * Math.min(evidence.newWords, NEW_WORDS_COUNTED)
      : 0;
  const fromQuiet = evidence.waitsForAnswer ? WAITS_FOR_ANSWER_NATS : 0;
  const needed = decisionLogOdds(budget);
  const logOdds = fromWords + fromVoice + fromQuiet;
  const withoutQuiet = fromWords + fromVoice;
  return {
    logOdds,
    by: fromWords >= needed ? 'cues' : withoutQuiet >= needed ? 'new-voice' : 'waits-for-answer',
    decided: logOdds >= needed,
  };
}
