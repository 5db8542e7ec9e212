import { readFileSync, readdirSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { createLogger } from '../../runtime/logger.js';
import { routeSdkLogs } from '../../temporal/sdkLogging.js';
import { workflowsPath } from '../../temporal/worker.js';

routeSdkLogs(createLogger('replay', 'warn'));

/**
 * The workflow code must replay every recorded call exactly: a change that
 * would make a running call take a different path fails here first. The
 * histories come from real calls (RECORD_HISTORIES=1 on the end-to-end tests).
 */
const dir = new URL('./histories/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('workflow replay over recorded histories', () => {
  it('has histories to replay', () => {
    expect(files).toEqual(
      expect.arrayContaining(['acme-connected.json', 'cancelled.json', 'connect-now.json']),
    );
  });

  it.each(files)(
    'replays %s without nondeterminism',
    async (file) => {
      const history: unknown = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
      await expect(
        Worker.runReplayHistory({ workflowsPath: workflowsPath(), replayName: file }, history),
      ).resolves.toBeUndefined();
    },
    60_000,
  );
});
