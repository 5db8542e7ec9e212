import { RealFft } from '../../media/analysis/realFft.js';

/** The textbook DFT of a real signal: bin k's real and imaginary parts. */
function dft(x: readonly number[], size: number, k: number): [number, number] {
  let re = 0;
  let im = 0;
  for (let n = 0; n < x.length; n++) {
    re += x[n]! * Math.cos((2 * Math.PI * k * n) / size);
    im -= x[n]! * Math.sin((2 * Math.PI * k * n) / size);
  }
  return [re, im];
}

describe('RealFft', () => {
  const signal = Array.from({ length: 40 }, (_, n) => Math.sin(n * 0.7) + 0.3 * Math.cos(n * 2.1));

  it('gives the DFT in order, zero-padding a short input: DC and Nyquist first, then bin k at 2k and 2k + 1', () => {
    const size = 64;
    const out = Array.from(new RealFft(size).forward(signal));
    expect(out[0]).toBeCloseTo(dft(signal, size, 0)[0], 4);
    expect(out[1]).toBeCloseTo(dft(signal, size, size / 2)[0], 4);
    for (let k = 1; k < size / 2; k++) {
      const [re, im] = dft(signal, size, k);
      expect(out[2 * k]).toBeCloseTo(re, 4);
      expect(out[2 * k + 1]).toBeCloseTo(im, 4);
    }
  });

  it('does not carry one input into the next, whichever instance of the size ran between', () => {
    const a = new RealFft(64);
    const b = new RealFft(64);
    const alone = Array.from(a.forward(signal));
    b.forward(Array.from({ length: 64 }, () => 1));
    expect(Array.from(a.forward(signal))).toEqual(alone);
  });

  it('refuses a size PFFFT cannot transform, naming it', () => {
    expect(() => new RealFft(24)).toThrow(/24 points/);
  });
});
