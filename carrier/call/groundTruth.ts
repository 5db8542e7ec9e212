import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

/** One line of a call's ground truth, as SCENARIOS.md defines it. */
export type TruthEvent =
  | { ev: 'call'; callId: string; number: string; scenario: string | null }
  | { ev: 'node'; id: string }
  | { ev: 'clip'; kind: string; caption: string | null; human: boolean }
  | { ev: 'dtmf'; digits: string }
  | { ev: 'speech'; text: string }
  | { ev: 'agent-start'; node: string }
  | { ev: 'bridged'; to: string }
  | { ev: 'line'; outcome: string }
  | { ev: 'hangup'; by: 'carrier' | 'caller'; reason?: string };

export type TruthLine = TruthEvent & { t: number };

/**
 * Writes what really happened on a call, one JSON object a line, flushed as
 * it happens so that a crash leaves everything up to the crash. `t` counts
 * milliseconds since the carrier answered (since the dial, before that).
 */
export class GroundTruthLog {
  private fd: number | undefined;
  private zero = 0;

  constructor(
    readonly file: string,
    private readonly now: () => number,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.fd = openSync(file, 'w');
  }

  /** From now on, `t` counts from this moment: the call was answered. */
  markAnswered(): void {
    this.zero = this.now();
  }

  write(event: TruthEvent): void {
    if (this.fd === undefined) return;
    const line: TruthLine = { t: this.now() - this.zero, ...event };
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
