import { lemmaOf, sensesOfWord } from '../lexicon/wordForms.js';
import { sensesOf } from '../lexicon/wordnet.js';
import { DEPARTMENTS } from './departments.js';

/**
 * What a caller's errand, or a menu option, is about, beyond its words: the
 * departments it names, whether it is about something new or something the
 * caller already has, what the caller says is done already, and what they
 * say they do not want.
 */
export interface Meaning {
  /** Content words as said, lower case, with their lemmas; what the caller does not want is left out. */
  words: Array<{ word: string; lemma: string }>;
  departments: Set<string>;
  /**
   * Departments named after the caller says what they want ("the package I
   * ordered arrived broken and I want to send it back": returns, not
   * orders): the errand itself, not its background.
   */
  wished: Set<string>;
  /** Lemmas of the words that named a department: what they share is counted once, as the department. */
  cues: Set<string>;
  /** Departments that are errands of their own (cancel, sales, returns, changes…). */
  errands: Set<string>;
  /** Asks for something new: a new booking, an account to open, service to start. */
  asksNew: boolean;
  /** Speaks of something the caller has: my booking, an existing order, a trip to change. */
  hasExisting: boolean;
  /** Lemmas of what the caller says is done already ("I already restarted it": restart). */
  already: Set<string>;
  /** The option speaks of having done something already ("if you've already restarted it"). */
  saysAlready: boolean;
  /** Lemmas of content words the caller sets aside ("the blender, not the mixer": mixer). */
  unwanted: Set<string>;
}

/** Words that carry no meaning for choosing: the glue of menus and errands. */
const STOPWORDS = new Set(
  (
    'a an the and or but if then to for of on in at by with from as about into over out up ' +
    'i me my mine we our us you your yours it its this that these those there here they them their ' +
    "is are was were be been am do does did have has had can could would should will shall may might must i'm i've it's " +
    "i'd you're you've we're that's there's " +
    'press please say enter dial option options menu want need like would just also so some any all ' +
    'call calling question questions information info get make let know thank thanks ' +
    'help talk speak hear today now currently still again already something someone anything ' +
    'one two three four five six seven eight nine zero star pound hash oh ' +
    'yes no not never okay ok um uh hi hello very really got going trying try other'
  ).split(' '),
);

const NEGATORS = /^(not|no|never|without)$|n't$/;
/** After a negator, these make what follows something the caller does not want. */
const WISH_VERBS = new Set([
  'want',
  'need',
  'looking',
  'trying',
  'calling',
  'asking',
  'wanting',
  'interested',
  'planning',
]);
/** Words after which a caller says what they call to have done. */
const WISH_MARKERS = new Set([
  'want',
  'wanna',
  'need',
  'like',
  'trying',
  'looking',
  'hoping',
  'wish',
]);
const NEW_PHRASES = [
  ['new'],
  ['open', 'a'],
  ['open', 'an'],
  ['sign', 'up'],
  ['first', 'time'],
  ['make', 'a', 'reservation'],
  ['book', 'a'],
  ['book', 'an'],
  ['apply', 'for'],
  ['get', 'a', 'quote'],
  ['become', 'a'],
  ['buy', 'a'],
  ['purchase', 'a'],
  ['switch', 'from'],
  ['quote'],
  ['how', 'much', 'would'],
];
const EXISTING_PHRASES = [
  ['existing'],
  ['current'],
  ['upcoming'],
  ['my'],
  ['our'],
  ['i', 'have'],
  ['i', 'booked'],
  ['i', 'ordered'],
  ['i', 'made'],
  ['i', 'filed'],
  ['i', 'bought'],
  ['already', 'have'],
  ['check', 'on'],
  ['manage'],
  ['status'],
];

/** A word of the glue of sentences ("your", "would"), which no dictionary of meanings lists. */
export function isFunctionWord(word: string): boolean {
  return STOPWORDS.has(word);
}

function tokensOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/’/g, "'")
    .replace(/[^\p{L}\p{N}\s']/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
}

export function meaningOf(text: string): Meaning {
  const tokens = tokensOf(text);
  const lemmas = tokens.map((t) => lemmaOf(t.replace(/'s$/, '')));
  const unwanted = unwantedAt(tokens);
  const already = new Set<string>();
  tokens.forEach((t, i) => {
    if (t !== 'already' && t !== 'tried') return;
    for (let j = i + 1; j < Math.min(tokens.length, i + 4); j++) {
      if (STOPWORDS.has(tokens[j]!) && tokens[j] !== 'tried') continue;
      if (tokens[j] === 'tried') continue;
      if (sensesOf(lemmas[j]!, 'v').length > 0) already.add(lemmas[j]!);
      break;
    }
  });
  const words = tokens
    .map((word, i) => ({ word, lemma: lemmas[i]!, i }))
    .filter(
      ({ word, i }) =>
        !unwanted.has(i) &&
        !STOPWORDS.has(word) &&
        !STOPWORDS.has(lemmas[i]!) &&
        !word.endsWith("n't") &&
        word.length > 1,
    );
  const wishAt = tokens.findIndex(
    (t, i) =>
      WISH_MARKERS.has(t) &&
      !unwanted.has(i) &&
      (t !== 'like' || /^(would|i'd|we'd)$/.test(tokens[i - 1] ?? '')),
  );
  const departments = new Set<string>();
  // "To dispute a purchase, for example if you returned an item": the examples are not its errand.
  const exampleAt = exampleStart(tokens);
  const named = new Set<string>();
  const wished = new Set<string>();
  const cues = new Set<string>();
  for (const [name, dept] of Object.entries(DEPARTMENTS)) {
    const cueWords = words.filter((w) => belongsTo(w.word, w.lemma, name));
    cueWords.forEach((w) => cues.add(w.lemma));
    const phraseAt = (dept.phrases ?? [])
      .map((p) => runAt(tokens, lemmas, phraseOf(p), unwanted))
      .filter((at) => at >= 0);
    const at = [...cueWords.map((w) => w.i), ...phraseAt];
    if (at.length > 0) departments.add(name);
    if (at.some((i) => i < exampleAt)) named.add(name);
    if (wishAt >= 0 && at.some((i) => i > wishAt)) wished.add(name);
  }
  const errands = new Set([...named].filter((d) => DEPARTMENTS[d]!.errand));
  return {
    words: words.map(({ word, lemma }) => ({ word, lemma })),
    departments,
    wished,
    cues,
    errands,
    asksNew: NEW_PHRASES.some((p) => containsRun(tokens, lemmas, p, unwanted)),
    hasExisting:
      EXISTING_PHRASES.some((p) => containsRun(tokens, lemmas, p, unwanted)) ||
      errands.has('change') ||
      errands.has('cancel'),
    already,
    saysAlready:
      tokens.includes('already') || /\b(have|has|you've) (tried|done)\b/.test(tokens.join(' ')),
    unwanted: new Set(
      [...unwanted].filter((i) => !STOPWORDS.has(tokens[i]!)).map((i) => lemmas[i]!),
    ),
  };
}

/** Where a text's examples start ("for example", "such as", "including", "like"), or its end. */
function exampleStart(tokens: string[]): number {
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (
      (t === 'example' && tokens[i - 1] === 'for') ||
      (t === 'as' && tokens[i - 1] === 'such') ||
      t === 'including' ||
      (t === 'like' && !/^(would|i'd|we'd|i|you|we)$/.test(tokens[i - 1]!))
    )
      return i;
  }
  return tokens.length;
}

/** Indices of words the caller says they do not want ("I don't want to cancel"), to the clause's end. */
function unwantedAt(tokens: string[]): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    if (!NEGATORS.test(tokens[i]!)) continue;
    const next = tokens.slice(i + 1, i + 3);
    if (!next.some((w) => WISH_VERBS.has(w)) && !setAside(tokens, i)) continue;
    for (
      let j = i + 1;
      j < tokens.length && !/^(but|instead|just|only|rather)$/.test(tokens[j]!);
      j++
    )
      out.add(j);
  }
  return out;
}

/** Words after which a "not" negates a verb ("is not working", "you're not a customer"): what follows is the trouble or the condition, not something set aside. */
const AUXILIARIES =
  /^(is|are|was|were|be|been|am|do|does|did|have|has|had|can|could|will|would|should|may|might|must|it's|i'm|that's|you're|we're|they're|he's|she's|there's|you|i|we|they)$/;

/**
 * A negator that sets a thing aside rather than telling what is wrong:
 * "the front checkout, not the pharmacy" (a "not" before a noun phrase, not
 * after a verb), "no accident or anything".
 * ("I have no internet" tells the trouble, and keeps its words.)
 */
function setAside(tokens: string[], at: number): boolean {
  const word = tokens[at]!;
  const next = tokens[at + 1] ?? '';
  if (word === 'not')
    return (
      !AUXILIARIES.test(tokens[at - 1] ?? '') &&
      /^(the|a|an|my|your|our|about|for|because|from)$/.test(next)
    );
  if (word === 'no') {
    const rest = tokens.slice(at + 1, at + 6).join(' ');
    return /\bor (anything|something)\b/.test(rest);
  }
  return false;
}

const phraseCache = new Map<string, string[]>();
function phraseOf(phrase: string): string[] {
  let words = phraseCache.get(phrase);
  if (!words) {
    words = tokensOf(phrase);
    phraseCache.set(phrase, words);
  }
  return words;
}

/** A phrase occurs word after word, each word as said or in its base form, none of them unwanted. */
function containsRun(
  tokens: string[],
  lemmas: string[],
  phrase: string[],
  unwanted: Set<number>,
): boolean {
  return runAt(tokens, lemmas, phrase, unwanted) >= 0;
}

/** Where a phrase first occurs (see containsRun), or -1. */
function runAt(
  tokens: string[],
  lemmas: string[],
  phrase: string[],
  unwanted: Set<number>,
): number {
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let j = 0; j < phrase.length; j++) {
      const p = phrase[j]!;
      if (unwanted.has(i + j) || (tokens[i + j] !== p && lemmas[i + j] !== lemmaOf(p)))
        continue outer;
    }
    return i;
  }
  return -1;
}

/** Each department's words, as lemmas, and the synsets of their first senses. */
const DEPARTMENT_LEXICON = new Map<string, { lemmas: Set<string>; senses: Set<string> }>();
function lexiconOf(name: string) {
  let lexicon = DEPARTMENT_LEXICON.get(name);
  if (!lexicon) {
    const lemmas = new Set<string>();
    const senses = new Set<string>();
    for (const w of DEPARTMENTS[name]!.words) {
      lemmas.add(w);
      lemmas.add(lemmaOf(w));
      for (const pos of ['n', 'v', 'a'] as const)
        for (const s of sensesOf(w, pos).slice(0, SEED_SENSES)) senses.add(`${pos}:${s.offset}`);
    }
    lexicon = { lemmas, senses };
    DEPARTMENT_LEXICON.set(name, lexicon);
  }
  return lexicon;
}
/** A department word's senses that count: its first two, so "charge" is a fee, not an electric charge. */
const SEED_SENSES = 2;

function belongsTo(word: string, lemma: string, department: string): boolean {
  const lexicon = lexiconOf(department);
  if (lexicon.lemmas.has(word) || lexicon.lemmas.has(lemma)) return true;
  // The word's first sense only: a caller's word is taken in its common meaning. A verb of
  // many senses ("go", "break", "make") says little by itself: its own lemma must match.
  if (isVagueVerb(lemma)) return false;
  for (const s of firstSenses(word)) if (lexicon.senses.has(s)) return true;
  return false;
}

const firstSenseCache = new Map<string, string[]>();
function firstSenses(word: string): string[] {
  let senses = firstSenseCache.get(word);
  if (!senses) {
    senses = [...sensesOfWord(word)].filter((id) => {
      const [pos, offset] = id.split(':') as ['n' | 'v' | 'a' | 'r', string];
      return (
        sensesOf(lemmaOf(word), pos)[0]?.offset === Number(offset) ||
        sensesOf(word, pos)[0]?.offset === Number(offset)
      );
    });
    firstSenseCache.set(word, senses);
  }
  return senses;
}

/** Verbs with this many senses or more are matched by their own lemma only. */
const VAGUE_VERB_SENSES = 12;
function isVagueVerb(lemma: string): boolean {
  return sensesOf(lemma, 'v').length >= VAGUE_VERB_SENSES;
}
