declare module '@echogarden/pffft-wasm/simd' {
  /** Emscripten module factory of PFFFT built with WebAssembly SIMD; see media/analysis/realFft.ts for the functions used. */
  const createPffft: () => Promise<unknown>;
  export default createPffft;
}

declare module '@echogarden/pffft-wasm' {
  /** The same factory, built without SIMD. */
  const createPffft: () => Promise<unknown>;
  export default createPffft;
}
