import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder, whether running from sources or from dist/. */
export const projectRoot = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const up = path.resolve(here, '..');
  return path.basename(up) === 'dist' ? path.resolve(up, '..') : up;
})();

/** Where state lives between runs: the database, caches, ground-truth logs. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.HOLDSLAYER_DATA_DIR ?? path.join(projectRoot, '.data'));
}
