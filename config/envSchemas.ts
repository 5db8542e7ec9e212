import { z } from 'zod';

/** The pieces every process's environment schema is made of. */

/** An empty variable is an unset one. */
export const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const port = z.coerce.number().int().min(0).max(65535);

/** A line's audio rate, 8 or 16 kHz, 8 by default. */
export const sampleRate = z.coerce
  .number()
  .pipe(z.union([z.literal(8000), z.literal(16000)]))
  .default(8000);

export const wsUrl = z.string().regex(/^wss?:\/\/[^\s]+$/, 'must be a ws:// URL');

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');
