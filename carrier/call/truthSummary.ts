import { readFile } from 'node:fs/promises';
import type { TruthLine } from './groundTruth.js';

/** What a call's ground truth says happened, in the terms a score uses. */
export interface TruthSummary {
  scenario: string | null;
  /** The last node the call reached. */
  reached: string | null;
  agentStartMs: number | null;
  agentNode: string | null;
  transferMs: number | null;
  bridgedTo: string | null;
  /** Bridged before any agent spoke. */
  falseTransfer: boolean;
  agentHungUp: boolean;
  digits: string[];
  speech: string[];
  line: string | null;
  hangup: { by: string; reason: string | null; t: number } | null;
  durationMs: number;
}

export async function readTruth(file: string): Promise<TruthLine[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as TruthLine);
}

export function summarizeTruth(lines: TruthLine[]): TruthSummary {
  const summary: TruthSummary = {
    scenario: null,
    reached: null,
    agentStartMs: null,
    agentNode: null,
    transferMs: null,
    bridgedTo: null,
    falseTransfer: false,
    agentHungUp: false,
    digits: [],
    speech: [],
    line: null,
    hangup: null,
    durationMs: 0,
  };
  for (const line of lines) {
    summary.durationMs = Math.max(summary.durationMs, line.t);
    switch (line.ev) {
      case 'call':
        summary.scenario = line.scenario;
        break;
      case 'node':
        summary.reached = line.id;
        break;
      case 'agent-start':
        if (summary.agentStartMs === null) {
          summary.agentStartMs = line.t;
          summary.agentNode = line.node;
        }
        break;
      case 'bridged':
        summary.transferMs = line.t;
        summary.bridgedTo = line.to;
        summary.falseTransfer = summary.agentStartMs === null;
        break;
      case 'dtmf':
        summary.digits.push(line.digits);
        break;
      case 'speech':
        summary.speech.push(line.text);
        break;
      case 'line':
        summary.line = line.outcome;
        break;
      case 'hangup':
        summary.hangup = { by: line.by, reason: line.reason ?? null, t: line.t };
        summary.agentHungUp =
          line.by === 'carrier' && summary.agentStartMs !== null && summary.transferMs === null;
        break;
      default:
        break;
    }
  }
  return summary;
}
