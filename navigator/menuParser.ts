import type { InputRequest, MenuOption, OptionKind, ParsedMenu } from './menuModel.js';
import { sensesOf } from './lexicon/wordnet.js';
import { isBoundary, keyOf, textOf, tokenize, type Token } from './menuText.js';

/** Words that introduce a key: "press 1", "dial 4", "oprima el dos". */
const KEY_VERBS = new Set([
  'press',
  // How recognisers often mishear "press".
  'pres',
  'dress',
  'push',
  'dial',
  'select',
  'choose',
  'oprima',
  'marque',
  'pulse',
  'presione',
]);
/** Words that may introduce a key too, but more often something to key in ("enter your account number"). */
const ENTRY_VERBS = new Set(['enter', 'key', 'type', 'input']);
/** Words that may stand between a verb and its key: "press the pound key", "oprima el dos". */
const KEY_FILLERS = new Set(['the', 'el', 'la', 'number', 'numero', 'número']);
const AFTER_KEY = new Set(['key', 'button', 'now', 'sign']);
/** What joins a key to its option: "press 1 for billing", "press 2 to pay". */
const FORWARD_JOINERS = new Set(['for', 'to', 'if']);
const LEADING_FILLERS = new Set([
  'or',
  'and',
  'then',
  'please',
  'now',
  'otherwise',
  'also',
  'else',
]);
/** A word a label may start with ("for billing", "to pay", "if you ..."). */
const LABEL_STARTS = new Set(['for', 'to', 'if', 'para']);
/** Backward labels longer than this are cut at their last joiner: run-on transcripts lack punctuation. */
const LONG_LABEL = 8;

const KIND_PATTERNS: Array<[Exclude<OptionKind, 'choice'>, RegExp]> = [
  ['callback', /\b(call ?back|call you back|leave (a|us a) (message|voicemail)|voice ?mail)\b/],
  ['more', /\b((more|other|additional) (options|choices|services)|more$)\b/],
  ['repeat', /\b(repeat|again|replay)\b/],
  ['back', /\b(go back|previous menu|return to|main menu|start over|back to)\b/],
  [
    'language',
    /\b(english|español|espanol|spanish|français|francais|french|chinese|mandarin|cantonese|vietnamese|korean|tagalog|para)\b/,
  ],
  [
    'other',
    /\b(all other|any other|anything else|everything else|something else|other (questions|inquiries|requests|matters)|none of (these|the above))\b/,
  ],
  [
    'operator',
    /\b(operator|representative|attendant|associate|agent|advocate|specialist|(speak|talk) (with|to) someone|a person|live person|team member|receptionist|customer (service|care))\b/,
  ],
];

export function kindOf(label: string): OptionKind {
  for (const [kind, pattern] of KIND_PATTERNS) if (pattern.test(label)) return kind;
  return 'choice';
}

/**
 * Reads a menu's options, and what else it asks, from its words: "for
 * billing, press 1", "press 1 for billing", "press 1 to pay, 2 to ...",
 * "to report an outage, say outage", "you can say things like billing or
 * technical support", "enter your account number followed by pound",
 * "press star to go back". It reads transcripts with or without
 * punctuation; the first reading of a key wins.
 */
export function parseMenu(transcript: string): ParsedMenu {
  const tokens = tokenize(transcript);
  const options: MenuOption[] = [];
  const add = (option: MenuOption) => {
    if (option.label === '' && option.kind === 'choice') return;
    const same = options.findIndex((o) => o.by === option.by && o.keys === option.keys);
    if (same === -1) options.push(option);
    // "Para español, oprima el dos ... For driver licenses, press 2": the English menu's own option
    // is on the key the other language's prompt named too.
    else if (options[same]!.kind === 'language' && option.kind !== 'language')
      options[same] = option;
  };
  const keyed = keyedAt(tokens);
  // Unpunctuated menus read both ways ("for billing press 1 for support press 2"): how the last key is said tells.
  // "... press 9 for all other questions stay on the line": what follows the last key is an option
  // of its own, so the keys were said after their labels.
  const last = keyed[keyed.length - 1];
  const keyFirst =
    last?.joinerAt !== undefined && !WAIT_OFFER.test(textOf(untilVerb(tokens, last.joinerAt)));
  let spanStart = 0;
  for (const k of keyed) {
    const backward = backwardLabel(tokens, k.verbAt, spanStart);
    if (k.joinerAt !== undefined && (backward === '' || keyFirst)) {
      const found = forwardOptions(tokens, k.joinerAt, k.keys);
      found.options.forEach(add);
      spanStart = found.end;
    } else {
      add({ keys: k.keys, label: backward, kind: kindOf(backward), by: 'dtmf' });
      spanStart = k.after;
    }
  }
  for (const option of speechOptions(tokens)) add(option);
  for (const option of keysWithoutVerb(tokens)) add(option);
  const text = textOf(tokens);
  return {
    options,
    freeSpeech: FREE_SPEECH.test(text),
    input: inputRequest(tokens, text),
    waitOffer: WAIT_OFFER.test(text),
  };
}

const FREE_SPEECH =
  /\b(tell me (the reason|why|what|briefly|in a few words)|in a few words|briefly (tell|describe|say)|(say|describe) (the reason|why you|what you)|reason for your call|how can i help you today|what are you calling about)\b/;
const WAIT_OFFER =
  /\b((stay|remain|hold) on the line|please (hold|wait)|continue to hold|wait for the next available|hold for (the next|an?) )\b/;

interface Found {
  options: MenuOption[];
  /** Index after the last token used. */
  end: number;
}

interface Keyed {
  verbAt: number;
  keys: string;
  /** Index after the key (and words like "key", "now"). */
  after: number;
  /** Where "for" / "to" / "if" follows the key, when it does. */
  joinerAt: number | undefined;
}

/** Every verb with a key: "press 1", "oprima el dos", "press the pound key". */
function keyedAt(tokens: Token[]): Keyed[] {
  const found: Keyed[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const verb = tokens[i]!;
    if (verb.kind !== 'word' || !(KEY_VERBS.has(verb.text) || ENTRY_VERBS.has(verb.text))) continue;
    let k = i + 1;
    while (tokens[k]?.kind === 'word' && KEY_FILLERS.has(tokens[k]!.text) && keyOf(tokens[k + 1]))
      k++;
    const keys = keyOf(tokens[k]) ?? misheardKey(tokens, k);
    if (keys === undefined) continue;
    // "enter the four digit year" is an entry, not an option.
    if (/^(digits?|numbers?)$/.test(tokens[k + 1]?.text ?? '')) continue;
    let after = k + 1;
    while (tokens[after]?.kind === 'word' && AFTER_KEY.has(tokens[after]!.text)) after++;
    const joiner = tokens[after];
    const joinerAt =
      joiner?.kind === 'word' && FORWARD_JOINERS.has(joiner.text) ? after : undefined;
    found.push({ verbAt: i, keys, after, joinerAt });
    i = after - 1;
  }
  return found;
}

/**
 * "For billing, uh 1.": an option whose verb the recogniser lost. A
 * sentence that opens like an option and ends on one key, with no verb in
 * it, is one.
 */
function keysWithoutVerb(tokens: Token[]): MenuOption[] {
  const options: MenuOption[] = [];
  let start = 0;
  for (let i = 0; i <= tokens.length; i++) {
    if (i < tokens.length && !isBoundary(tokens[i], true)) continue;
    const sentence = tokens.slice(start, i).filter((t) => t.kind === 'word');
    start = i + 1;
    const last = sentence[sentence.length - 1];
    const keys = keyOf(last);
    if (keys === undefined || keys.length > 1) continue;
    // "call nine one one": a number said digit after digit is a number to call, not a key.
    if (keyOf(sentence[sentence.length - 2])) continue;
    if (sentence.some((t) => isVerb(t) || ENTRY_VERBS.has(t.text))) continue;
    // A greeting may run into the option: "Vista for billing, uh 1".
    const from = sentence.findIndex((t) => LABEL_STARTS.has(t.text));
    const words = sentence.length - from;
    if (from === -1 || from > 3 || words < 3) continue;
    // The word before the key stands where the verb was said, when there is room for one.
    const label = cleanLabel(sentence.slice(from, words >= 4 ? -2 : -1));
    if (label) options.push({ keys, label, kind: kindOf(label), by: 'dtmf' });
  }
  return options;
}

/** Keys as recognisers mishear them after "press": "press to for support" is 2, "press for" at the end 4. */
const HOMOPHONE_KEYS: Record<string, string> = {
  won: '1',
  to: '2',
  too: '2',
  for: '4',
  fore: '4',
  ate: '8',
};

/** A misheard key: a homophone right after the verb, with the next option or the end straight after it. */
function misheardKey(tokens: Token[], at: number): string | undefined {
  const token = tokens[at];
  const key = token?.kind === 'word' ? HOMOPHONE_KEYS[token.text] : undefined;
  if (key === undefined) return undefined;
  const next = tokens[at + 1];
  const ends =
    !next ||
    next.kind === 'mark' ||
    FORWARD_JOINERS.has(next.text) ||
    KEY_VERBS.has(next.text) ||
    next.text === 'or';
  return ends ? key : undefined;
}

/** "press 1 to mute, 2 to lock, or 8 to exit": one verb, one or more keys each with its label after it. */
function forwardOptions(tokens: Token[], joinerAt: number, keys: string): Found {
  const options: MenuOption[] = [];
  let end = forwardLabel(tokens, joinerAt, options, keys);
  for (;;) {
    let j = end;
    if (tokens[j]?.text === ',') j++;
    if (tokens[j]?.text === 'or' || tokens[j]?.text === 'and') j++;
    const more = keyOf(tokens[j]);
    const join = tokens[j + 1];
    if (more === undefined || join?.kind !== 'word' || !FORWARD_JOINERS.has(join.text)) break;
    end = forwardLabel(tokens, j + 1, options, more);
  }
  return { options, end };
}

/** The words from a joiner ("for billing") up to the next mark or verb. */
function untilVerb(tokens: Token[], joinerAt: number): Token[] {
  let end = joinerAt + 1;
  while (end < tokens.length && !isBoundary(tokens[end]) && !isVerb(tokens[end])) end++;
  return tokens.slice(joinerAt, end);
}

/** The label after a joiner ("for billing"), up to the next mark or verb; returns where it ended. */
function forwardLabel(tokens: Token[], joinerAt: number, into: MenuOption[], keys: string): number {
  const words = untilVerb(tokens, joinerAt);
  const end = joinerAt + words.length;
  const label = cleanLabel(words);
  into.push({ keys, label, kind: kindOf(label), by: 'dtmf' });
  return end;
}

/** The label before a verb ("for billing, press 1"), back to a mark or the previous option. */
function backwardLabel(tokens: Token[], verbAt: number, spanStart: number): string {
  let start = verbAt;
  // One comma between the label and its verb belongs to the option.
  if (tokens[start - 1]?.text === ',') start--;
  let j = start - 1;
  for (;;) {
    while (j >= spanStart && !isBoundary(tokens[j])) j--;
    if (j < spanStart || isBoundary(tokens[j], true)) break;
    // A comma inside an option ("for your account, including points, press 3") does not end it;
    // one before "for", "to" or "if" does.
    const after = tokens[j + 1];
    const example = /^(example|instance)$/.test(tokens[j + 2]?.text ?? '');
    if (
      after?.kind === 'word' &&
      (LABEL_STARTS.has(after.text) || after.text === 'say') &&
      !example
    )
      break;
    j--;
  }
  // "For billing, say billing or press 2": the label is the one the spoken choice has.
  if (tokens[j + 1]?.text === 'say' && j + 1 < verbAt)
    return backwardLabel(tokens, j + 1, spanStart);
  let words = tokens.slice(j + 1, start).filter((t) => t.kind === 'word');
  // A run-on transcript's label is cut at its last joiner; one that opens as an option does is whole.
  if (words.length > LONG_LABEL && !LABEL_STARTS.has(words[0]!.text)) {
    const texts = words.map((t) => t.text);
    // "please listen closely ... if you're calling about an order": a clause with "if" opens the option.
    const lastIf = texts.lastIndexOf('if');
    const cut = lastIf >= 0 ? lastIf : Math.max(texts.lastIndexOf('for'), texts.lastIndexOf('to'));
    if (cut >= 0) words = words.slice(cut);
  }
  return cleanLabel(words);
}

function cleanLabel(words: Token[]): string {
  const list = words.filter((t) => t.kind === 'word').map((t) => t.text);
  while (list.length > 0 && LEADING_FILLERS.has(list[0]!)) list.shift();
  if (list.length > 0 && LABEL_STARTS.has(list[0]!)) list.shift();
  return list.join(' ');
}

function isVerb(token: Token | undefined): boolean {
  return token?.kind === 'word' && (KEY_VERBS.has(token.text) || token.text === 'say');
}

/**
 * Speech options: "to report an outage, say outage", "say billing", "you
 * can say things like billing, technical support, or upgrade my phone".
 */
function speechOptions(tokens: Token[]): MenuOption[] {
  const options: MenuOption[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // "Tell me which of these you need: Billing, Technical Support, or Upgrade."
    if (t.text === ':' && askedToChoose(tokens, i)) {
      for (const phrase of phraseList(tokens, i + 1))
        options.push({ keys: phrase, label: phrase, kind: kindOf(phrase), by: 'speech' });
      continue;
    }
    if (t.kind !== 'word') continue;
    const listStart =
      t.text === 'like' || (t.text === 'as' && tokens[i - 1]?.text === 'such')
        ? i + 1
        : t.text === 'say' && !saysWhatLike(tokens, i)
          ? i + 1
          : undefined;
    if (listStart === undefined) continue;
    // "press 1, or say refund": the same option by voice; its key is never misheard.
    if (t.text === 'say' && saidForKey(tokens, i)) continue;
    // "such as your bill" in a keyed option gives examples, not things to say.
    if (t.text !== 'say' && !saidBefore(tokens, i)) continue;
    // "say things like ...": the list follows "like".
    if (t.text === 'say' && tokens.slice(i + 1, i + 4).some((x) => x.text === 'like')) continue;
    const phrases = phraseList(tokens, listStart);
    const label = t.text === 'say' ? sayLabel(tokens, i, phrases) : '';
    for (const phrase of phrases) {
      // "press the number, or say the words": how to answer, not an answer.
      if (/^(the|your) (words?|numbers?|name|option|choice)$/.test(phrase)) continue;
      const name = phrases.length === 1 && label ? label : phrase;
      // What is said tells its kind first ("say something else"), then what it is said for.
      const kind = kindOf(phrase) !== 'choice' ? kindOf(phrase) : kindOf(name);
      options.push({ keys: phrase, label: name, kind, by: 'speech' });
    }
  }
  return options;
}

/** Whether "say" at `at` follows "press 1, or": the option it names is the key's. */
function saidForKey(tokens: Token[], at: number): boolean {
  let j = at - 1;
  while (j >= 0 && (tokens[j]!.text === ',' || tokens[j]!.text === 'or')) j--;
  return j < at - 1 && keyOf(tokens[j]) !== undefined && KEY_VERBS.has(tokens[j - 1]?.text ?? '');
}

/** Whether the sentence before a colon asks the caller to name one ("tell me which of these you need:"). */
function askedToChoose(tokens: Token[], at: number): boolean {
  for (let j = at - 1; j >= 0 && !isBoundary(tokens[j], true); j--)
    if (/^(say|tell|which|choose|pick|need)$/.test(tokens[j]!.text)) return true;
  return false;
}

/** Whether the sentence up to `at` asks the caller to speak ("you can say things like"). */
function saidBefore(tokens: Token[], at: number): boolean {
  for (let j = at - 1; j >= 0 && !isBoundary(tokens[j], true); j--)
    if (/^(say|tell|speak|ask)$/.test(tokens[j]!.text)) return true;
  return false;
}

/** What a "say" option is for: "to report an outage, say outage", or "say agent to speak with someone". */
function sayLabel(tokens: Token[], sayAt: number, phrases: string[]): string {
  if (phrases.length === 1) {
    const after = sayAt + 1 + phrases[0]!.split(' ').length;
    const joiner = tokens[after];
    if (joiner?.kind === 'word' && (joiner.text === 'to' || joiner.text === 'for')) {
      let end = after + 1;
      while (end < tokens.length && !isBoundary(tokens[end]) && !isVerb(tokens[end])) end++;
      const forward = cleanLabel(tokens.slice(after, end));
      if (forward) return forward;
    }
  }
  return backwardLabel(tokens, sayAt, 0);
}

/** "say things like", "say something about": what follows is not itself a thing to say ("say something else" is). */
function saysWhatLike(tokens: Token[], sayAt: number): boolean {
  const next = tokens[sayAt + 1]?.text ?? '';
  return next === 'things' || (next === 'something' && tokens[sayAt + 2]?.text !== 'else');
}

/**
 * Phrases separated by commas and "or", up to the end of the sentence. A
 * list that puts a comma before its last "or" ("billing, prime, kindle or
 * alexa devices, or account") joins its other "or"s into one phrase.
 */
function phraseList(tokens: Token[], start: number): string[] {
  const phrases: string[] = [];
  let current: string[] = [];
  const end = sentenceEnd(tokens, start);
  const serialComma = tokens
    .slice(start, end)
    .some((t, j) => t.text === 'or' && tokens[start + j - 1]?.text === ',');
  const flush = () => {
    while (current.length > 0 && LEADING_FILLERS.has(current[0]!)) current.shift();
    if (current.length > 0 && current.length <= RUN_ON) phrases.push(current.join(' '));
    else if (current.length > RUN_ON) phrases.push(...runOnPhrases(current));
    current = [];
  };
  for (let j = start; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (isBoundary(t, true)) break;
    if (t.text === ',' || (t.text === 'or' && (!serialComma || tokens[j - 1]?.text === ',')))
      flush();
    else if (t.kind === 'word' && KEY_VERBS.has(t.text)) break;
    // "say agent to speak with someone": what the phrase is for; but inside a list of phrases
    // ("'apply for benefits', 'my payment'") the word belongs to the phrase.
    else if ((t.text === 'for' || t.text === 'to') && !listGoesOn(tokens, j, end)) break;
    // "... or change my policy you can also say something else": the next instruction.
    else if (
      t.text === 'say' ||
      (t.text === 'you' && /^(can|may|could)$/.test(tokens[j + 1]?.text ?? ''))
    )
      break;
    // "say one of the following: ..."
    else if (current.length === 0 && phrases.length === 0 && prefaceLength(tokens, j) > 0)
      j += prefaceLength(tokens, j) - 1;
    else current.push(t.text);
  }
  flush();
  return phrases;
}

/** Whether another phrase of the list follows `at` in its sentence, before any new instruction. */
function listGoesOn(tokens: Token[], at: number, end: number): boolean {
  for (let j = at + 1; j < end; j++) {
    const t = tokens[j]!;
    if (t.text === 'say' || KEY_VERBS.has(t.text)) return false;
    if (t.text !== ',') continue;
    let k = j + 1;
    while (tokens[k]?.text === 'or') k++;
    const next = tokens[k]?.text ?? '';
    return k < end && next !== 'say' && next !== 'you' && !KEY_VERBS.has(next);
  }
  return false;
}

const TERMINATOR =
  /\b(followed by|then press|then|and then|ending with|and press|finish with|end with) (the )?(pound|hash|#)/;
/** "ten digit account number", "last four digits of your card"; not "two digits for the month". */
const DIGIT_COUNT = /\b(\w+)[ -](?:digit\b(?!s)|digits of\b)/g;
const COUNT_WORDS: Record<string, number> = {
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  sixteen: 16,
};
const ENTRY_STOP = new Set(['followed', 'then', 'using', 'on', 'as', 'and', 'when', 'with', 'at']);

/** Words that end what is asked for: "account number", "claim ID", "zip code". */
const ENTRY_NOUNS =
  /^(number|numbers|code|id|pin|digits|date|birth|zip|extension|passcode|password)$/;

/** An "and" inside a name ("your PG and E account number"), not one that starts what to do next. */
function insideName(words: string[], next: Token | undefined): boolean {
  if (ENTRY_NOUNS.test(words[words.length - 1]!)) return false;
  return (
    next?.kind === 'word' && !isVerb(next) && !ENTRY_VERBS.has(next.text) && next.text !== 'then'
  );
}

/** What the menu asks to be keyed in, if anything. */
function inputRequest(tokens: Token[], text: string): InputRequest | undefined {
  const terminator = TERMINATOR.test(text) ? '#' : '';
  // "two digits for the month, two for the day" describes a format, not a length: only a single count is one.
  const counts = [...text.matchAll(DIGIT_COUNT)];
  const count = counts.length === 1 ? counts[0]![1] : undefined;
  const digits =
    count === undefined ? undefined : (COUNT_WORDS[count] ?? (Number(count) || undefined));
  if (/\bextension\b/.test(text) && /\b(dial|enter|key|press)\b/.test(text)) {
    return { what: 'extension', terminator, extension: true, ...(digits ? { digits } : {}) };
  }
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (
      t.kind !== 'word' ||
      !(ENTRY_VERBS.has(t.text) || (t.text === 'dial' && !keyOf(tokens[i + 1])))
    )
      continue;
    // "key in", "punch in": skip the particle.
    let j = i + 1;
    if (tokens[j]?.text === 'in') j++;
    if (keyOf(tokens[j]) && !/^(digits?|numbers?)$/.test(tokens[j + 1]?.text ?? '')) continue;
    const what = entryWords(tokens, j);
    if (what.words.length === 0) continue;
    const alternatives = alternativeEntries(tokens, what.end);
    const condition = entryCondition(tokens, i);
    return {
      what: what.words.join(' '),
      terminator,
      extension: false,
      ...(digits ? { digits } : {}),
      ...(alternatives.length > 0 ? { alternatives } : {}),
      ...(condition ? { condition } : {}),
    };
  }
  return undefined;
}

/** The words naming an entry from `start` ("your ten digit account number"), and where they end. */
function entryWords(tokens: Token[], start: number): { words: string[]; end: number } {
  const words: string[] = [];
  let j = start;
  for (; j < tokens.length && !isBoundary(tokens[j]); j++) {
    const w = tokens[j]!.text;
    if (ENTRY_STOP.has(w) && words.length > 0 && !(w === 'and' && insideName(words, tokens[j + 1])))
      break;
    words.push(w);
  }
  while (words.length > 0 && /^(your|the|a|an|in)$/.test(words[0]!)) words.shift();
  return { words, end: j };
}

/** "... the phone number on your account, or the account number from your statement": what else it takes. */
function alternativeEntries(tokens: Token[], from: number): string[] {
  const found: string[] = [];
  // The rest of an entry's phrase ("associated with your account") runs to the "or".
  const toOr = (at: number) => {
    while (at < tokens.length && !isBoundary(tokens[at], true) && tokens[at]!.text !== 'or') at++;
    return at;
  };
  for (let j = toOr(from); tokens[j]?.text === 'or';) {
    const next = entryWords(tokens, j + 1);
    if (next.words.length === 0 || !next.words.some((w) => ENTRY_NOUNS.test(w))) break;
    found.push(next.words.join(' '));
    j = toOr(next.end);
  }
  return found;
}

/** The clause before an entry verb that says whom it is for: "if you're calling about a card", "to report an outage". */
function entryCondition(tokens: Token[], verbAt: number): string | undefined {
  let j = verbAt - 1;
  while (j >= 0 && !isBoundary(tokens[j], true)) j--;
  const words = tokens
    .slice(j + 1, verbAt)
    .filter((t) => t.kind === 'word')
    .map((t) => t.text);
  while (words.length > 0 && /^(please|now|then|and|just)$/.test(words[words.length - 1]!))
    words.pop();
  if (words.length < 2 || !LABEL_STARTS.has(words[0]!)) return undefined;
  // "To help us serve you better, enter ...": the company's purpose, asked of every caller.
  if (words[0] === 'to' && words.some((w) => /^(us|we|our|you|your)$/.test(w))) return undefined;
  return words.slice(1).join(' ');
}

function sentenceEnd(tokens: Token[], start: number): number {
  let j = start;
  while (j < tokens.length && !isBoundary(tokens[j], true)) j++;
  return j;
}

/** A spoken option longer than this many words is options run together, said without a pause. */
const RUN_ON = 4;
const DETERMINERS = new Set(['a', 'an', 'the', 'my', 'your', 'our', 'of', 'for']);

/** A word said more as a verb than a noun: WordNet tags more of its verb senses in real texts. */
function verbish(word: string): boolean {
  const tagged = (pos: 'n' | 'v') => sensesOf(word, pos).filter((s) => s.tagged).length;
  return tagged('v') > tagged('n');
}

/**
 * Options a recogniser ran together without punctuation ("make a payment
 * report a claim roadside assistance"): a new one starts at a verb (where
 * no object is awaited), and one that starts with a verb ends with its
 * object ("report a claim", "change of address", "hold mail"), the words
 * after it being an option of their own.
 */
function runOnPhrases(words: string[]): string[] {
  const pieces: string[][] = [];
  let current: string[] = [];
  let awaitingObject = false;
  for (const w of words) {
    if (current.length > 0 && !awaitingObject && verbish(w)) {
      pieces.push(current);
      current = [];
    }
    if (current.length === 0) awaitingObject = verbish(w) || sensesOf(w, 'v').length > 0;
    else if (awaitingObject && !DETERMINERS.has(w)) {
      current.push(w);
      // The verb has its object: what follows is another option.
      pieces.push(current);
      current = [];
      awaitingObject = false;
      continue;
    }
    current.push(w);
  }
  if (current.length > 0) pieces.push(current);
  return pieces.map((p) => p.join(' '));
}

const PREFACES = [
  ['one', 'of', 'the', 'following'],
  ['the', 'following'],
  ['one', 'of', 'these'],
];
function prefaceLength(tokens: Token[], at: number): number {
  const p = PREFACES.find((words) => words.every((w, k) => tokens[at + k]?.text === w));
  return p ? p.length : 0;
}
