import type { RawData } from 'ws';
import { callerMessageSchema, type ParsedCallerMessage } from './protocol.js';

/** A WebSocket message's bytes, however ws handed them over. */
export function wireBytes(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}

export type ReadMessage =
  | { ok: true; message: ParsedCallerMessage }
  /** `id`: the request's id, when it had one, so that it is answered and its caller not left waiting. */
  | { ok: false; error: string; id?: number };

/** A caller's text message, as every server of the line protocol reads it. */
export function readCallerMessage(data: RawData): ReadMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(wireBytes(data).toString('utf8'));
  } catch {
    return { ok: false, error: 'bad message: not JSON' };
  }
  const result = callerMessageSchema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  const id = (raw as { id?: unknown } | null)?.id;
  const issues = result.error.issues
    .map((i) => `${i.path.join('.') || 'message'}: ${i.message}`)
    .join('; ');
  return { ok: false, error: `bad message: ${issues}`, ...(typeof id === 'number' ? { id } : {}) };
}
