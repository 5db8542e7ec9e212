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
