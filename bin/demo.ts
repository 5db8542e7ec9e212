/**
 * The demo: one real call, end to end, on embedded defaults. Starts the
 * stack, stores the Acme Bank disputes flow, places a call through the REST
 * API to the simulated Acme Bank, and prints its progress until a person
 * from the disputes team is talking to the (simulated) user's phone.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { loadScenarioFile } from '../carrier/scenario/load.js';
import { readTruth, summarizeTruth } from '../carrier/call/truthSummary.js';
import { loadConfig } from '../config/env.js';
import { projectRoot } from '../config/paths.js';
import { freePort } from '../runtime/freePort.js';
import { ApiClient, type CallStatusView } from '../runtime/apiClient.js';
import { startLocalService } from '../runtime/localService.js';

const config = loadConfig();
const say = (msg: string) => process.stdout.write(`${msg}\n`);
const started = Date.now();
const clock = () => {
  const s = Math.floor((Date.now() - started) / 1000);
  return `[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}]`;
};

say('Hold Slayer demo: calling Acme Bank to reach the disputes team.');
say('Starting the Temporal dev server, PostgreSQL and the simulated carrier…');
const service = await startLocalService(config, {
  say: (m) => say(`  ${m}`),
  apiPort: await freePort(),
});
const api = new ApiClient(service.api.url, service.api.key);
let outcome: string | undefined;
try {
  const { scenario } = await loadScenarioFile(
    path.join(projectRoot, 'scenarios', 'acme-bank-disputes.json'),
  );
  const flowBody = JSON.parse(
    await readFile(path.join(projectRoot, 'flows', 'examples', 'acme-bank-disputes.json'), 'utf8'),
  );
  type Flow = { id: string; version: number };
  const existing = await api.get<Flow[]>(
    `/api/call-flows?phone_number=${encodeURIComponent(scenario.number)}&tag=demo`,
  );
  const flow = existing[0] ?? (await api.post<Flow>('/api/call-flows', flowBody));
  say(`Using call flow ${flow.id} v${flow.version}.`);

  const placed = await api.post<{ id: string }>('/api/calls', {
    phone_number: scenario.number,
    company: scenario.company,
    intent: scenario.task.intent,
    user_device: 'sim:demo-user',
    flow: { id: flow.id },
    secrets: scenario.task.secrets,
  });
  say(`${clock()} Call ${placed.id} placed.`);
  if (service.stack.temporalUiUrl) {
    say(
      `        Watch it: ${service.stack.temporalUiUrl}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows/${placed.id}`,
    );
  }

  let last = '';
  let lastHeard = '';
  let heldTens = 0;
  for (;;) {
    const status = await api.get<CallStatusView>(`/api/calls/${placed.id}`);
    const line = `${status.phase}${status.step ? `: ${status.step.type} ${status.step.id} (${status.step.description})` : ''}`;
    if (line !== last) say(`${clock()} ${line}`);
    last = line;
    if (status.last_transcript && status.last_transcript !== lastHeard) {
      say(`${clock()}   heard: "${status.last_transcript}"`);
      lastHeard = status.last_transcript;
    }
    const tens = Math.floor(status.hold_seconds / 10);
    if (status.phase === 'holding' && tens > heldTens) say(`${clock()}   on hold ${tens * 10} s`);
    heldTens = Math.max(heldTens, tens);
    if (status.outcome) {
      say(`${clock()} Outcome: ${status.outcome}${status.reason ? ` (${status.reason})` : ''}`);
      outcome = status.outcome;
      break;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }

  if (service.stack.truthDir) {
    const truthFile = path.join(service.stack.truthDir, `${placed.id}.jsonl`);
    const truth = summarizeTruth(await readTruth(truthFile));
    const secrets = Object.values(scenario.task.secrets);
    const masked = truth.digits.map((d) =>
      secrets.reduce((s, v) => s.replaceAll(v, '•'.repeat(v.length)), d),
    );
    say('What the carrier recorded (ground truth):');
    say(`  keys pressed: ${masked.join(' ') || 'none'}`);
    if (truth.agentStartMs !== null)
      say(`  agent began speaking at ${(truth.agentStartMs / 1000).toFixed(1)} s`);
    if (truth.transferMs !== null) {
      const after =
        truth.agentStartMs !== null
          ? ` (${((truth.transferMs - truth.agentStartMs) / 1000).toFixed(1)} s after the agent began)`
          : ' (before any agent spoke!)';
      say(`  your phone was bridged at ${(truth.transferMs / 1000).toFixed(1)} s${after}`);
    }
    say(`  log: ${truthFile}`);
  }
} finally {
  say('Stopping…');
  await service.stop();
}
process.exit(outcome === 'connected' ? 0 : 1);
