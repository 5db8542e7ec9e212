import { tone } from '../../media/audio/tones.js';
import { decodeWav, encodeWav, resample } from '../../media/audio/wav.js';
import { RealFft } from '../../media/analysis/realFft.js';

/** The two strongest frequencies in the first 256 ms of the audio, to the nearest FFT bin. */
function strongest(samples: Int16Array, rate: number, count: number): number[] {
  const size = 2048;
  const input = new Array<number>(size).fill(0);
  for (let i = 0; i < size && i < samples.length; i++) input[i] = samples[i]! / 32768;
  const out = new RealFft(size).forward(input);
  // [1] holds the Nyquist term: bin 0's power is the DC term's alone.
  const power = Array.from({ length: size / 2 }, (_, b) => ({
    b,
    p: b === 0 ? out[0]! ** 2 : out[2 * b]! ** 2 + out[2 * b + 1]! ** 2,
  }));
  const peaks = power.filter(
    (x, i) => i > 0 && x.p > power[i - 1]!.p && x.p >= (power[i + 1]?.p ?? 0),
  );
  return peaks
    .sort((a, b) => b.p - a.p)
    .slice(0, count)
    .map((x) => (x.b * rate) / size)
    .sort((a, b) => a - b);
}

describe('call-progress tones', () => {
  it.each([
    ['ringback', [440, 480]],
    ['busy', [480, 620]],
  ] as const)('%s carries its two frequencies', (name, hz) => {
    const audio = tone(name, 8000);
    const found = strongest(audio.samples, 8000, 2);
    found.forEach((f, i) => expect(Math.abs(f - hz[i]!)).toBeLessThan(8));
  });

  it('follows the cadence: ringback is 2 s on, 4 s off', () => {
    const { samples } = tone('ringback', 8000, 6);
    const rms = (from: number, to: number) =>
      Math.sqrt(
        samples.subarray(from * 8, to * 8).reduce((s, v) => s + v * v, 0) / ((to - from) * 8),
      );
    expect(rms(100, 1900)).toBeGreaterThan(1000);
    expect(rms(2100, 5900)).toBe(0);
  });

  it('starts the special information tone at 913.8 Hz', () => {
    const found = strongest(tone('sit', 8000).samples, 8000, 1);
    expect(Math.abs(found[0]! - 913.8)).toBeLessThan(8);
  });
});

describe('WAV and rate conversion', () => {
  it('round-trips PCM through a WAV file', () => {
    const audio = tone('beep', 8000);
    const back = decodeWav(encodeWav(audio), 8000);
    expect(Array.from(back.samples)).toEqual(Array.from(audio.samples));
  });

  it('keeps a tone at its frequency when the rate doubles', () => {
    const up = resample({ samples: tone('beep', 8000).samples, rate: 8000 }, 16000);
    expect(up.samples.length).toBe(8000);
    expect(Math.abs(strongest(up.samples, 16000, 1)[0]! - 1000)).toBeLessThan(8);
  });

  it('names the source of data that is not WAV', () => {
    expect(() => decodeWav(new Uint8Array([1, 2, 3]), 8000, 'clips/x.wav')).toThrow(
      /clips\/x.wav is not a readable WAV file/,
    );
  });
});
