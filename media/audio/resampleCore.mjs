// @ts-check
// Rate conversion through the `wavefile` library, in plain ESM so that a
// worker thread (which loads through Node itself, not a TS loader) can run
// it too: speech synthesis converts its output off the main thread.
import wavefile from 'wavefile';

const { WaveFile } = wavefile;

/**
 * 16-bit mono samples from one rate to another. Going down needs the sinc
 * filter against aliasing; going up (8 to 16 kHz music) needs no filter,
 * and cubic interpolation is a hundred times faster on a minutes-long track.
 *
 * @param {Int16Array} samples
 * @param {number} fromRate
 * @param {number} toRate
 * @returns {Int16Array}
 */
export function resampleInt16(samples, fromRate, toRate) {
  if (fromRate === toRate) return samples;
  const wav = new WaveFile();
  wav.fromScratch(1, fromRate, '16', samples);
  wav.toSampleRate(
    toRate,
    toRate < fromRate ? { method: 'sinc', LPF: true } : { method: 'cubic', LPF: false },
  );
  return Int16Array.from(
    /** @type {Int16Array} */ (/** @type {unknown} */ (wav.getSamples(false, Int16Array))),
  );
}

/**
 * A WAV file's audio as 16-bit mono samples at `toRate` (channels mixed down).
 *
 * @param {Uint8Array} bytes
 * @param {number} toRate
 * @returns {Int16Array}
 */
export function wavToInt16(bytes, toRate) {
  const wav = new WaveFile(bytes);
  const fmt = /** @type {{ sampleRate: number }} */ (wav.fmt);
  if (wav.bitDepth !== '16') wav.toBitDepth('16');
  const read = /** @type {Int16Array | Int16Array[]} */ (
    /** @type {unknown} */ (wav.getSamples(false, Int16Array))
  );
  return resampleInt16(Array.isArray(read) ? downmix(read) : read, fmt.sampleRate, toRate);
}

/**
 * @param {Int16Array[]} channels
 * @returns {Int16Array}
 */
function downmix(channels) {
  const length = channels[0]?.length ?? 0;
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    let sum = 0;
    for (const channel of channels) sum += /** @type {number} */ (channel[i]);
    out[i] = Math.round(sum / channels.length);
  }
  return out;
}
