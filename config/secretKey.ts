import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './env.js';

/**
 * The key that seals call secrets: HOLDSLAYER_SECRET_KEY, or one made on
 * first use and kept (mode 0600) in the data folder, where every process of
 * a local install finds the same one.
 */
export function loadSecretKey(config: Pick<Config, 'HOLDSLAYER_SECRET_KEY' | 'dataDir'>): Buffer {
  if (config.HOLDSLAYER_SECRET_KEY) return Buffer.from(config.HOLDSLAYER_SECRET_KEY, 'base64');
  const file = path.join(config.dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // Another process made it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return key;
}
