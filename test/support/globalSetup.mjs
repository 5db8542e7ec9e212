// Jest loads its global setup outside its own module system, so the
// TypeScript that starts the test services is imported through tsx.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { default: startServices } = await tsImport('./startServices.ts', import.meta.url);
  await startServices();
}
