import createSimd from '@echogarden/pffft-wasm/simd';
import createPlain from '@echogarden/pffft-wasm';

/** The PFFFT functions used here (Emscripten exports). */
interface PffftModule {
  _pffft_new_setup(size: number, kind: number): number;
  _pffft_transform_ordered(
    setup: number,
    input: number,
    output: number,
    work: number,
    direction: number,
  ): void;
  _pffft_aligned_malloc(bytes: number): number;
  HEAPF32: Float32Array;
}

const PFFFT_REAL = 0;
const PFFFT_FORWARD = 0;

async function load(): Promise<PffftModule> {
  // The SIMD build is about four times fft.js's speed; a runtime without WebAssembly SIMD gets the plain one.
  try {
    return (await (createSimd as () => Promise<unknown>)()) as PffftModule;
  } catch {
    return (await (createPlain as () => Promise<unknown>)()) as PffftModule;
  }
}

const pffft = await load();

interface Plan {
  setup: number;
  input: number;
  output: number;
  work: number;
}
/** One plan and one set of buffers per size, shared: a transform runs to its end before any other starts. */
const plans = new Map<number, Plan>();

function transformable(size: number): boolean {
  if (!Number.isInteger(size) || size <= 0 || size % 32 !== 0) return false;
  let rest = size / 32;
  for (const factor of [2, 3, 5]) while (rest % factor === 0) rest /= factor;
  return rest === 1;
}

function planFor(size: number): Plan {
  let plan = plans.get(size);
  if (!plan) {
    // PFFFT aborts the whole module on a size it cannot do: checked here first, with a clear error.
    if (!transformable(size))
      throw new Error(
        `PFFFT cannot transform ${size} points: a real transform needs a multiple of 32 whose other factors are 2, 3 and 5`,
      );
    const setup = pffft._pffft_new_setup(size, PFFFT_REAL);
    if (!setup) throw new Error(`PFFFT could not set up a ${size}-point transform`);
    const buffer = () => pffft._pffft_aligned_malloc(size * 4);
    plan = { setup, input: buffer(), output: buffer(), work: buffer() };
    plans.set(size, plan);
  }
  return plan;
}

/**
 * A real FFT of `size` points (PFFFT, single precision, WebAssembly). The
 * spectrum comes back in order: [0] the DC term, [1] the Nyquist term,
 * then the real and imaginary parts of bin k at [2k] and [2k + 1].
 */
export class RealFft {
  private readonly plan: Plan;
  private input: Float32Array;
  private output: Float32Array;

  constructor(readonly size: number) {
    this.plan = planFor(size);
    [this.input, this.output] = this.views();
  }

  /** Views of the plan's buffers in the module's heap: new ones only when its memory grew (the old ones are then detached). */
  private views(): [Float32Array, Float32Array] {
    const heap = pffft.HEAPF32;
    const at = (pointer: number) => heap.subarray(pointer >> 2, (pointer >> 2) + this.size);
    return [at(this.plan.input), at(this.plan.output)];
  }

  /**
   * The buffer the next transform reads, to be written in place (no copy);
   * what is not written keeps its last value. Valid until the next call of
   * any RealFft's methods.
   */
  get inputBuffer(): Float32Array {
    this.refresh();
    return this.input;
  }

  /** Transforms the input buffer; the spectrum is valid until the next transform of any RealFft. */
  transform(): Float32Array {
    const { setup, input, output, work } = this.plan;
    pffft._pffft_transform_ordered(setup, input, output, work, PFFFT_FORWARD);
    this.refresh();
    return this.output;
  }

  /** Transforms `input`, zero-padded to the size. */
  forward(input: ArrayLike<number>): Float32Array {
    const into = this.inputBuffer;
    const length = Math.min(input.length, this.size);
    for (let i = 0; i < length; i++) into[i] = input[i]!;
    into.fill(0, length);
    return this.transform();
  }

  private refresh(): void {
    if (this.input.buffer !== pffft.HEAPF32.buffer) [this.input, this.output] = this.views();
  }
}
