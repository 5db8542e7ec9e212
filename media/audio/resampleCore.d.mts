/** 16-bit mono samples from one rate to another (sinc filter going down, cubic going up). */
export function resampleInt16(samples: Int16Array, fromRate: number, toRate: number): Int16Array;
/** A WAV file's audio as 16-bit mono samples at `toRate`; throws when the bytes are not a WAV file. */
export function wavToInt16(bytes: Uint8Array, toRate: number): Int16Array;
