import { writeFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

/**
 * A workflow history as text with every payload decoded (payloads are
 * base64 JSON), so a test can search what the history really holds.
 */
export function historyText(history: unknown): string {
  return JSON.stringify(history, (key, value: unknown) => {
    if (key === 'data' && typeof value === 'string')
      return Buffer.from(value, 'base64').toString('utf8');
    if (key === 'data' && value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
    return value;
  });
}

/**
 * With RECORD_HISTORIES=<label>, keeps the calls' histories as
 * test/replay/histories/<name>@<label>.json, which the replay tests hold the
 * workflow code to; older ones stay, so code must keep replaying calls
 * started by earlier versions. Without it, does nothing.
 */
export async function recordHistories(
  client: Client,
  calls: Record<string, { id: string }>,
): Promise<void> {
  const label = process.env.RECORD_HISTORIES;
  if (!label) return;
  for (const [name, call] of Object.entries(calls)) {
    const recorded = await client.workflow.getHandle(call.id).fetchHistory();
    writeFileSync(
      new URL(`../replay/histories/${name}@${label}.json`, import.meta.url),
      `${historyToJSON(recorded)}\n`,
    );
  }
}
