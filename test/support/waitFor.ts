/** Polls `check` until it holds; rejects naming `what` after `timeoutMs`. */
export async function waitFor(
  check: () => boolean,
  timeoutMs = 15_000,
  what = 'a condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
