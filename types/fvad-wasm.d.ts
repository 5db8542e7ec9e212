declare module '@echogarden/fvad-wasm' {
  /** Emscripten module factory of libfvad; see media/analysis/vad.ts for the functions used. */
  const createFvad: () => Promise<unknown>;
  export default createFvad;
}
