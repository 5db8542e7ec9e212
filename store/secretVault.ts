import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Pool } from './pool.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The values a person gives with a call (account numbers, dates of birth),
 * kept out of workflow histories and logs: the workflow only ever sees
 * `{secret:NAME}`, and the DTMF activity reads the value here when it keys it.
 * AES-256-GCM at rest, bound to the call id so a row cannot be moved.
 */
export class SecretVault {
  constructor(
    private readonly pool: Pool,
    private readonly key: Buffer,
  ) {
    if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
  }

  async put(callId: string, secrets: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(secrets)) {
      await this.pool.query(
        `INSERT INTO call_secrets (call_id, name, ciphertext) VALUES ($1, $2, $3)
         ON CONFLICT (call_id, name) DO UPDATE SET ciphertext = EXCLUDED.ciphertext`,
        [callId, name, this.seal(callId, name, value)],
      );
    }
  }

  async get(callId: string, name: string): Promise<string | undefined> {
    const result = await this.pool.query<{ ciphertext: Buffer }>(
      `SELECT ciphertext FROM call_secrets WHERE call_id = $1 AND name = $2`,
      [callId, name],
    );
    const row = result.rows[0];
    return row && this.open(callId, name, row.ciphertext);
  }

  private seal(callId: string, name: string, value: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`${callId}\n${name}`));
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  private open(callId: string, name: string, sealed: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(`${callId}\n${name}`));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }
}
