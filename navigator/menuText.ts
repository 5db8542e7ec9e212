/**
 * A menu's words as tokens the parser can read: lower case, punctuation
 * kept as clause boundaries, and key names ("one", "star", "pound", "dos")
 * recognised wherever a key may stand.
 */
export type Token = { kind: 'word'; text: string } | { kind: 'mark'; text: string };

/** Keys as IVRs say them, in English and in the Spanish many US menus offer. */
const KEY_WORDS: Record<string, string> = {
  zero: '0',
  oh: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  star: '*',
  asterisk: '*',
  pound: '#',
  hash: '#',
  cero: '0',
  uno: '1',
  dos: '2',
  tres: '3',
  cuatro: '4',
  cinco: '5',
  seis: '6',
  siete: '7',
  ocho: '8',
  nueve: '9',
  asterisco: '*',
  numeral: '#',
};

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /[\p{L}\p{N}][\p{L}\p{N}'’-]*|[*#]|[.,;:!?]/gu;
  for (const match of text.toLowerCase().matchAll(pattern)) {
    const raw = match[0].replace(/’/g, "'");
    if (/^[.,;:!?]$/.test(raw)) tokens.push({ kind: 'mark', text: raw });
    // A closing quote or a dash trails a word ("say 'repeat'"); it is no part of it.
    else tokens.push({ kind: 'word', text: raw.replace(/['-]+$/, '') });
  }
  return tokens;
}

/** The key a token names, if it names one: digits, `*`, `#`, or their spoken names. */
export function keyOf(token: Token | undefined): string | undefined {
  if (!token || token.kind !== 'word') return undefined;
  if (/^[0-9]+$/.test(token.text) || token.text === '*' || token.text === '#') return token.text;
  return KEY_WORDS[token.text];
}

export function isBoundary(token: Token | undefined, strongOnly = false): boolean {
  if (!token || token.kind !== 'mark') return false;
  return strongOnly ? token.text !== ',' : true;
}

/** The words of a span of tokens, as one string. */
export function textOf(tokens: Token[]): string {
  return tokens
    .filter((t) => t.kind === 'word')
    .map((t) => t.text)
    .join(' ');
}
