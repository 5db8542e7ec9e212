import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from './env.js';
import { keptInDataDir } from './keptInDataDir.js';

const SECRET_KEY_FILE = 'secret.key';

/**
 * The key that seals call secrets: HOLDSLAYER_SECRET_KEY, or one made on
 * first use and kept in the data folder.
 */
export function loadSecretKey(config: Pick<Config, 'HOLDSLAYER_SECRET_KEY' | 'dataDir'>): Buffer {
  if (config.HOLDSLAYER_SECRET_KEY) return Buffer.from(config.HOLDSLAYER_SECRET_KEY, 'base64');
  const stored = keptInDataDir(config.dataDir, SECRET_KEY_FILE, () =>
    randomBytes(32).toString('base64'),
  );
  const key = Buffer.from(stored, 'base64');
  if (key.length !== 32)
    throw new Error(
      `${path.join(config.dataDir, SECRET_KEY_FILE)} does not hold a 32-byte base64 key`,
    );
  return key;
}
