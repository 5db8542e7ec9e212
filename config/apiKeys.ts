import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from './env.js';
import { keptInDataDir } from './keptInDataDir.js';

export const API_KEY_FILE = 'api-key';

/**
 * The keys the API accepts: API_KEYS, or one made on first use and kept in
 * the data folder, so a local install is never open to anyone who can
 * reach its port, and its own tools (the demo, the runner) find the key.
 */
export function loadApiKeys(config: Pick<Config, 'API_KEYS' | 'dataDir'>): string[] {
  if (config.API_KEYS) return config.API_KEYS;
  return [keptInDataDir(config.dataDir, API_KEY_FILE, () => randomBytes(24).toString('base64url'))];
}

/** Where a local install keeps its key, to tell a person. */
export function apiKeyFile(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, API_KEY_FILE);
}
