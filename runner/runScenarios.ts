import { existsSync } from 'node:fs';
import path from 'node:path';
import { readTruth, summarizeTruth } from '../carrier/call/truthSummary.js';
import type { TruthLine } from '../carrier/call/groundTruth.js';
import type { SoundLibrary } from '../carrier/audio/soundLibrary.js';
import type { LoadedScenario } from '../carrier/scenario/load.js';
import type { Scenario } from '../carrier/scenario/schema.js';
import type { ApiClient, CallStatusView } from '../runtime/apiClient.js';
import { MAX_DIALS } from '../workflows/definitions.js';
import { lineIdFor } from '../workflows/lineIds.js';
import { flowFromScenario } from './flowFromScenario.js';
import { scoreCall, type ScenarioScore } from './score.js';

/**
 * Which flow each call follows: one built from its scenario (what a person
 * who knew the menus would write), none (it explores), or whatever the
 * system has learned for the number and errand (it explores where nothing is).
 */
export type FlowSource = 'scenario' | 'none' | 'learned';

export interface RunOptions {
  flows: FlowSource;
  concurrency: number;
  /** Where the carrier writes each call's ground truth. */
  truthDir: string;
  /** The recorded prompts' captions, for the flows built from scenarios. */
  sounds: SoundLibrary;
  /** The user's device for a scenario's call; the carrier's simulated phone (`sim:user-<id>`) unless given. */
  userDevice?: (scenarioId: string) => string;
  onStart?: (scenario: LoadedScenario, callId: string) => void;
  onScore?: (score: ScenarioScore) => void;
}

/** Longest a call may take before it is scored as it stands. */
const CALL_LIMIT_MS = 30 * 60_000;
/** After the system reports an outcome, how long to wait for the carrier to finish the call. */
const HANGUP_WAIT_MS = 30_000;

/**
 * Places one call per scenario through the REST API, at most `concurrency`
 * at a time, and scores each against the carrier's ground truth.
 */
export async function runScenarios(
  api: ApiClient,
  scenarios: LoadedScenario[],
  options: RunOptions,
): Promise<ScenarioScore[]> {
  const scores: ScenarioScore[] = new Array(scenarios.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < scenarios.length; i = next++) {
      scores[i] = await runOne(api, scenarios[i]!, options);
      options.onScore?.(scores[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane));
  return scores;
}

async function runOne(
  api: ApiClient,
  loaded: LoadedScenario,
  options: RunOptions,
): Promise<ScenarioScore> {
  const { scenario } = loaded;
  let flow: { id: string } | null = null;
  if (options.flows === 'scenario') {
    const captions = await soundCaptions(scenario, options.sounds);
    flow = await api.post<{ id: string }>('/api/call-flows', flowFromScenario(scenario, captions));
  }
  const placed = await api.post<{ id: string }>('/api/calls', {
    phone_number: scenario.number,
    company: scenario.company,
    intent: scenario.task.intent,
    user_device: options.userDevice?.(scenario.id) ?? `sim:user-${scenario.id}`.slice(0, 68),
    // Left out, the system picks the flow learned for this number and errand.
    ...(options.flows === 'learned' ? {} : { flow: flow ? { id: flow.id } : null }),
    secrets: scenario.task.secrets,
  });
  options.onStart?.(loaded, placed.id);
  const status = await waitForOutcome(api, placed.id);
  const dials = status.dials ?? lastDialLogged(options.truthDir, placed.id);
  const truthLog = path.join(options.truthDir, `${lineIdFor(placed.id, dials)}.jsonl`);
  const lines = await waitForHangup(truthLog);
  return {
    ...scoreCall(
      scenario,
      summarizeTruth(lines),
      status.outcome,
      truthLog,
      status.decisions,
      dials,
    ),
    flow: status.flow ? `${status.flow.id}@v${status.flow.version}` : null,
  };
}

/**
 * Waits until the learner has folded the calls just made: every call that
 * reached a person has a learned flow for its number and errand.
 */
export async function waitForLearnedFlows(
  api: ApiClient,
  scenarios: LoadedScenario[],
  scores: ScenarioScore[],
  timeoutMs = 60_000,
): Promise<number> {
  const numbers = scenarios
    .filter((_, i) => scores[i]?.outcome === 'connected')
    .map((s) => s.scenario.number);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let learned = 0;
    for (const number of numbers) {
      const flows = await api.get<Array<{ tags: string[] }>>(
        `/api/call-flows?phone_number=${encodeURIComponent(number)}&tag=learned`,
      );
      if (flows.length > 0) learned += 1;
    }
    if (learned === numbers.length || Date.now() > deadline) return learned;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function waitForOutcome(api: ApiClient, id: string): Promise<CallStatusView> {
  const deadline = Date.now() + CALL_LIMIT_MS;
  for (;;) {
    const status = await api.get<CallStatusView>(`/api/calls/${id}`);
    if (status.outcome || Date.now() > deadline) return status;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The last of a call's dials the carrier has a ground truth for, when no worker said how many it made. */
function lastDialLogged(truthDir: string, callId: string): number {
  for (let dial = MAX_DIALS; dial > 1; dial--)
    if (existsSync(path.join(truthDir, `${lineIdFor(callId, dial)}.jsonl`))) return dial;
  return 1;
}

/** The ground truth once the carrier has logged the end of the call (or as it stands after a while). */
async function waitForHangup(file: string): Promise<TruthLine[]> {
  const deadline = Date.now() + HANGUP_WAIT_MS;
  for (;;) {
    const lines = existsSync(file) ? await readTruth(file) : [];
    if (lines.some((l) => l.ev === 'hangup') || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** What each recorded prompt of the scenario says (prompts without captions are left out). */
async function soundCaptions(
  scenario: Scenario,
  sounds: SoundLibrary,
): Promise<Map<string, string>> {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      if ('sound' in value && typeof value.sound === 'string') names.add(value.sound);
      Object.values(value).forEach(visit);
    }
  };
  visit(scenario.nodes);
  const captions = new Map<string, string>();
  for (const name of names) {
    const caption = await sounds.caption(name).catch(() => undefined);
    if (caption) captions.set(name, caption);
  }
  return captions;
}
