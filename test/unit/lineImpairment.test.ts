import { parseLineFlag, type LineConditions } from '../../carrier/line/lineConditions.js';
import { LineImpairment } from '../../carrier/line/lineImpairment.js';

const FRAME = 160;

function sine(frames: number, amplitude = 8000): Int16Array[] {
  return Array.from({ length: frames }, (_, f) =>
    Int16Array.from({ length: FRAME }, (_, i) =>
      Math.round(amplitude * Math.sin((2 * Math.PI * 440 * (f * FRAME + i)) / 8000)),
    ),
  );
}

function run(conditions: Partial<LineConditions>, input: Int16Array[], seed = 'a'): Int16Array[] {
  const line = new LineImpairment(
    parseLineFlag(JSON.stringify({ codec: 'none', ...conditions })),
    seed,
  );
  return input.map((frame) => line.process(frame));
}

const rms = (frame: Int16Array) =>
  Math.sqrt(frame.reduce((sum, s) => sum + s * s, 0) / frame.length);
const same = (a: Int16Array, b: Int16Array) => a.every((s, i) => s === b[i]);

describe('line impairment', () => {
  it('codes audio in µ-law and A-law: changed, but within the codec quantisation error', () => {
    const input = sine(50);
    for (const codec of ['pcmu', 'pcma'] as const) {
      const output = run({ codec }, input);
      let signal = 0;
      let error = 0;
      input.forEach((frame, f) =>
        frame.forEach((s, i) => {
          signal += s * s;
          error += (s - output[f]![i]!) ** 2;
        }),
      );
      expect(error).toBeGreaterThan(0);
      // G.711 keeps a speech-level tone about 35 dB above its quantisation noise.
      expect(10 * Math.log10(signal / error)).toBeGreaterThan(30);
    }
    expect(same(run({ codec: 'pcmu' }, input)[10]!, run({ codec: 'pcma' }, input)[10]!)).toBe(
      false,
    );
  });

  it('loses about the share of packets asked, in bursts, and conceals each with a fading repeat', () => {
    const input = sine(20_000);
    const output = run({ loss: 0.05, lossBurst: 2.5 }, input);
    const lost = output.map((frame, f) => !same(frame, input[f]!));
    const share = lost.filter(Boolean).length / lost.length;
    expect(share).toBeGreaterThan(0.04);
    expect(share).toBeLessThan(0.06);
    let bursts = 0;
    lost.forEach((l, f) => {
      if (l && !lost[f - 1]) bursts += 1;
    });
    expect(lost.filter(Boolean).length / bursts).toBeGreaterThan(2);
    const first = lost.findIndex((l, f) => l && !lost[f - 1]);
    expect(rms(output[first]!)).toBeCloseTo(rms(input[first - 1]!) / 2, -1);
  });

  it('delays every frame by its jitter buffer, and loses only packets later than the buffer holds', () => {
    const input = sine(5_000);
    const output = run({ jitterMs: 20 }, input);
    const depth = 2;
    expect(output.slice(0, depth).every((f) => rms(f) === 0)).toBe(true);
    const arrivedOnTime = input
      .slice(0, -depth)
      .filter((frame, f) => same(output[f + depth]!, frame)).length;
    // Beyond two standard deviations: about one packet in twenty is too late.
    expect(arrivedOnTime / (input.length - depth)).toBeGreaterThan(0.93);
    expect(arrivedOnTime / (input.length - depth)).toBeLessThan(0.98);
  });

  it('fills silence with comfort noise at its level, and puts hiss under the audio', () => {
    const silence = Array.from({ length: 200 }, () => new Int16Array(FRAME));
    const comfort = run({ comfortNoiseDbfs: -50 }, silence);
    const level = 20 * Math.log10(rms(Int16Array.from(comfort.flatMap((f) => [...f]))) / 32768);
    expect(level).toBeGreaterThan(-52);
    expect(level).toBeLessThan(-48);
    const hissed = run({ noiseDbfs: -40 }, sine(10));
    expect(same(hissed[5]!, sine(10)[5]!)).toBe(false);
  });

  it('changes the level from one stretch of the call to the next', () => {
    const output = run({ levelDb: 10, levelEverySeconds: 2 }, sine(3_000));
    const levels = output.filter((_, f) => f % 100 === 99).map(rms);
    expect(Math.max(...levels) / Math.min(...levels)).toBeGreaterThan(1.5);
  });

  it('repeats a run exactly for the same seed, and differs for another', () => {
    const input = sine(500);
    const conditions = { codec: 'pcmu', loss: 0.05, noiseDbfs: -50 } as const;
    const a = run(conditions, input, 'one');
    expect(run(conditions, input, 'one').every((f, i) => same(f, a[i]!))).toBe(true);
    expect(run(conditions, input, 'two').every((f, i) => same(f, a[i]!))).toBe(false);
  });

  it('reads the --line flag as a preset or JSON, and names what is wrong with it', () => {
    expect(parseLineFlag('poor')).toMatchObject({ codec: 'pcma', loss: 0.05 });
    expect(parseLineFlag('{"loss":0.1}')).toMatchObject({ codec: 'pcmu', loss: 0.1 });
    expect(() => parseLineFlag('awful')).toThrow(/one of clean, typical, poor/);
    expect(() => parseLineFlag('{"loss":2}')).toThrow(/--line is invalid: loss/);
    expect(() => parseLineFlag('{"echo":true}')).toThrow(/unknown key "echo"/);
  });
});
