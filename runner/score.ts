import type { Scenario } from '../carrier/scenario/schema.js';
import type { TruthSummary } from '../carrier/call/truthSummary.js';

/** The score of one run of a scenario, as SCENARIOS.md defines it, plus where its ground truth is. */
export interface ScenarioScore {
  scenario: string;
  ok: boolean;
  reached: string | null;
  agentStartMs: number | null;
  transferMs: number | null;
  detectionLatencyMs: number | null;
  falseTransfer: boolean;
  agentHungUp: boolean;
  digits: string[];
  durationMs: number;
  /** How the system said the call ended. */
  outcome: string | null;
  /** Menu decisions the call's navigator made (none when it followed a flow to the end). */
  decisions: { rules: number; model: number };
  /** The flow version the call followed ("id@vN"), or null when it explored. */
  flow?: string | null;
  /** Dials the call made: more than one when a way through the menus led nowhere. The score is the last dial's. */
  dials: number;
  truthLog: string;
}

export function scoreCall(
  scenario: Scenario,
  truth: TruthSummary,
  outcome: string | null,
  truthLog: string,
  decisions: { rules: number; model: number } = { rules: 0, model: 0 },
  dials = 1,
): ScenarioScore {
  const bridged = truth.transferMs !== null;
  const agentHungUp =
    truth.hangup?.by === 'carrier' && truth.hangup.reason === 'agent gave up waiting' && !bridged;
  const detectionLatencyMs =
    bridged && truth.agentStartMs !== null && !truth.falseTransfer
      ? truth.transferMs! - truth.agentStartMs
      : null;
  const ok = scenario.task.expectOutcome
    ? outcome === scenario.task.expectOutcome && !bridged
    : truth.agentNode === scenario.task.expect && bridged && !truth.falseTransfer && !agentHungUp;
  return {
    scenario: scenario.id,
    ok,
    reached: truth.reached,
    agentStartMs: truth.agentStartMs,
    transferMs: truth.transferMs,
    detectionLatencyMs,
    falseTransfer: truth.falseTransfer,
    agentHungUp,
    digits: truth.digits,
    durationMs: truth.durationMs,
    outcome,
    decisions,
    dials,
    truthLog,
  };
}

export interface ScoreSummary {
  scenarios: number;
  ok: number;
  /** Calls that were ok on their first dial. */
  okFirstDial: number;
  /** Calls that dialled again after a dead end. */
  redialled: number;
  /** Calls that followed a flow (built from the scenario, or learned). */
  followedFlows: number;
  falseTransfers: number;
  agentHangUps: number;
  /** Menu decisions over all calls, by the rules and by a language model. */
  decisions: { rules: number; model: number };
  detectionLatencyMs: { p50: number | null; p95: number | null; max: number | null; count: number };
}

export function summarize(scores: ScenarioScore[]): ScoreSummary {
  const latencies = scores
    .flatMap((s) => (s.detectionLatencyMs === null ? [] : [s.detectionLatencyMs]))
    .sort((a, b) => a - b);
  return {
    scenarios: scores.length,
    ok: scores.filter((s) => s.ok).length,
    okFirstDial: scores.filter((s) => s.ok && s.dials === 1).length,
    redialled: scores.filter((s) => s.dials > 1).length,
    falseTransfers: scores.filter((s) => s.falseTransfer).length,
    agentHangUps: scores.filter((s) => s.agentHungUp).length,
    followedFlows: scores.filter((s) => s.flow).length,
    decisions: {
      rules: scores.reduce((sum, s) => sum + s.decisions.rules, 0),
      model: scores.reduce((sum, s) => sum + s.decisions.model, 0),
    },
    detectionLatencyMs: {
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      max: latencies.at(-1) ?? null,
      count: latencies.length,
    },
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}
