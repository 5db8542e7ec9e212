/**
 * Jest runs the TypeScript sources as native ES modules (node
 * --experimental-vm-modules), transformed by SWC. The global setup starts
 * one real PostgreSQL and one real Temporal dev server for the whole run.
 */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
        module: { type: 'es6' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/support/globalSetup.mjs',
  globalTeardown: '<rootDir>/test/support/globalTeardown.mjs',
  testTimeout: 60_000,
  // End-to-end calls run in real time and mostly wait: two files at a time keep both cores busy.
  maxWorkers: 2,
};
