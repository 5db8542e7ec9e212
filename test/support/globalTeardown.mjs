import { tsImport } from 'tsx/esm/api';

export default async function globalTeardown() {
  const { default: stopServices } = await tsImport('./stopServices.ts', import.meta.url);
  await stopServices();
}
