/**
 * What was said, as evidence of who said it. Recorded announcements talk
 * about the caller's call, the queue and keys to press; a live person
 * introduces themself and asks the caller something.
 */
export interface Cue {
  name: string;
  pattern: RegExp;
  weight: number;
}

export const HUMAN_CUES: Cue[] = [
  {
    name: 'introduces themself',
    pattern: /\b(this is|my name is|you'?re (speaking|talking) (with|to))\s+\w/i,
    weight: 2,
  },
  // A name after the introduction, the way agents give theirs ("Acme Bank, this is Sam"): recordings that
  // introduce something name a company at the start ("This is Acme Bank's automated line"), or a possessive.
  {
    name: 'gives a name',
    pattern:
      /\b(my name is|you'?re (speaking|talking) (with|to))\s+((Mr|Ms|Mrs|Dr)\.?\s+)?[A-Z][a-z]+\b(?!['’]s)|[,.!?]\s+(this is|you'?ve (got|reached))\s+((Mr|Ms|Mrs|Dr)\.?\s+)?[A-Z][a-z]+\b(?!['’]s)/,
    weight: 1,
  },
  // A first name right before "speaking" ("Jordan speaking"), as agents answer.
  { name: 'name speaking', pattern: /\b[A-Z][a-z]+,? speaking\b/, weight: 3 },
  {
    name: 'asks the caller',
    pattern:
      /\b(how (can|may) i help|what can i (do|help)|who am i (speaking|talking) (with|to)|who do i have|can i (start with|have|get|take)|could (you|i) (please )?(confirm|give|tell|have|spell)|may i (have|ask|take)|what seems to be|what'?s the (problem|issue)|how are you)\b/i,
    weight: 2,
  },
  {
    name: 'checks the caller is there',
    pattern: /\b(are you (still )?there|can you hear me)\b/i,
    weight: 3,
  },
  {
    name: 'thanks for holding',
    pattern: /\b(thanks|thank you) (so much )?for (holding|waiting)\b/i,
    weight: 1,
  },
  {
    name: 'greeting',
    pattern: /^\W*(hi|hello|hey|good (morning|afternoon|evening))\b/i,
    weight: 1,
  },
  { name: 'question', pattern: /\?\s*$/, weight: 1 },
];

export const RECORDING_CUES: Cue[] = [
  {
    name: 'press a key',
    pattern:
      /\b(press|dial|enter)\s+(\d|one|two|three|four|five|six|seven|eight|nine|zero|star|pound|the pound)\b/i,
    weight: -3,
  },
  {
    name: 'your call',
    pattern:
      /\byour call (is (very )?important|will be (answered|taken)|may be (recorded|monitored))\b/i,
    weight: -3,
  },
  {
    name: 'keep holding',
    pattern: /\b(stay|remain) on the line|continue to hold|please hold\b|hold the line\b/i,
    weight: -3,
  },
  {
    name: 'all agents busy',
    pattern:
      /\b(all|none) of our (agents|representatives|represenatives|specialists|operators|associates)\b/i,
    weight: -3,
  },
  { name: 'next available', pattern: /\bnext available\b/i, weight: -3 },
  {
    name: 'queue position',
    pattern:
      /\b(caller number|callers? (ahead|waiting)|first in line|in (the )?queue|you are (currently )?(caller|number)|your call is now)\b/i,
    weight: -3,
  },
  {
    name: 'with you soon',
    pattern: /\bwith you (shortly|soon|in a moment)\b|\b(working|trying) to connect you\b/i,
    weight: -3,
  },
  {
    name: 'queue order',
    pattern: /\bin the order (it was|they were|calls? (was|were)) received\b/i,
    weight: -3,
  },
  { name: 'callback offer', pattern: /\b(call you back|callback|call back)\b/i, weight: -3 },
  {
    name: 'wait time',
    pattern: /\b(estimated )?(wait|hold) time\b|\bminutes? (or less|remaining)\b/i,
    weight: -3,
  },
  { name: 'patience', pattern: /\b(thank you|thanks) for (your|you're) patience\b/i, weight: -3 },
  { name: 'website', pattern: /\b(visit|go to) (us at|our (web ?site|website))\b/i, weight: -3 },
  {
    name: 'currently busy',
    pattern: /\bcurrently (busy|assisting|helping|serving)\b/i,
    weight: -3,
  },
];

export interface CueScore {
  score: number;
  human: string[];
  recording: string[];
}

export function scoreTranscript(text: string): CueScore {
  const human = HUMAN_CUES.filter((c) => c.pattern.test(text));
  const recording = RECORDING_CUES.filter((c) => c.pattern.test(text));
  const score = [...human, ...recording].reduce((sum, c) => sum + c.weight, 0);
  return { score, human: human.map((c) => c.name), recording: recording.map((c) => c.name) };
}
