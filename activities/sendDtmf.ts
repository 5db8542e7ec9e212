import { ApplicationFailure } from '@temporalio/activity';
import { parseDtmf } from '../flows/dtmf.js';
import { callIdOfLine } from '../workflows/lineIds.js';
import type { ActivityDeps } from './deps.js';
import { assertLineUp } from './lineEnded.js';
import { recordEvents } from './recordEvents.js';
import { MISSING_SECRET, type CallActivities } from './types.js';

/**
 * Keys DTMF, resolving `{secret:NAME}` from the vault at the last moment:
 * the value goes to the line and nowhere else (not the log, not the result).
 */
export function sendDtmfActivity(deps: ActivityDeps): CallActivities['sendDtmf'] {
  return async ({ callId, dtmf }) => {
    const leg = await deps.legs.get(callId);
    assertLineUp(leg);
    // Secrets are resolved first so that "{secret:account}#" goes out as one run of keys, as a person would key it.
    const runs: Array<{ keys: string } | { pauseMs: number }> = [];
    for (const token of parseDtmf(dtmf)) {
      if (token.kind === 'pause') {
        runs.push({ pauseMs: token.ms });
        continue;
      }
      const keys =
        token.kind === 'digits' ? token.digits : await secretValue(deps, callId, token.name);
      const last = runs[runs.length - 1];
      if (last && 'keys' in last) last.keys += keys;
      else runs.push({ keys });
    }
    for (const run of runs) {
      if ('pauseMs' in run) await new Promise((r) => setTimeout(r, run.pauseMs));
      else await leg.sendDtmf(run.keys);
    }
    deps.log.info({ callId, dtmf }, 'sent DTMF');
    // The keys as the flow wrote them: a secret stays a reference.
    await recordEvents(deps, callId, [
      { key: 'digits-sent', type: 'call.digits_sent', data: { dtmf } },
    ]);
  };
}

async function secretValue(deps: ActivityDeps, callId: string, name: string): Promise<string> {
  const value = await deps.vault.get(callIdOfLine(callId), name);
  if (value === undefined) {
    throw ApplicationFailure.nonRetryable(
      `the flow asks for secret "${name}", which was not given with call ${callId}`,
      MISSING_SECRET,
    );
  }
  return value;
}
