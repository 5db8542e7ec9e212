import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClipRenderer } from '../../carrier/audio/clipRenderer.js';
import type { TruthLine } from '../../carrier/call/groundTruth.js';
import { SimCall } from '../../carrier/call/simCall.js';
import { scenarioSchema } from '../../carrier/scenario/schema.js';
import { SimulatedPhones } from '../../carrier/userPhones.js';
import type { CarrierMessage } from '../../media/telephony/sim/protocol.js';

/**
 * One simulated call on a virtual clock: the carrier's own call engine and
 * real audio, with time advanced by the test, so a two-minute scenario plays
 * in a fraction of a second and every timing is exact.
 */
export class SimulatedCall {
  readonly messages: CarrierMessage[] = [];
  framesSent = 0;
  /** Called with each frame and message the caller would get, in order. */
  onAudio: ((frame: Int16Array) => void) | undefined;
  onMessage: ((message: CarrierMessage) => void) | undefined;
  readonly call: SimCall;
  private nextId = 1;

  constructor(
    renderer: ClipRenderer,
    scenario: unknown,
    options: { dir?: string; to?: string; captionWer?: number; phones?: SimulatedPhones } = {},
  ) {
    const parsed = scenarioSchema.parse(scenario);
    const truthDir = mkdtempSync(path.join(tmpdir(), 'simcall-'));
    this.call = new SimCall({
      callId: `sim-${randomUUID()}`,
      to: options.to ?? parsed.number,
      sampleRate: 8000,
      loaded: options.to
        ? undefined
        : { scenario: parsed, file: 'inline.json', dir: options.dir ?? truthDir },
      renderer,
      phones: options.phones ?? new SimulatedPhones(800),
      truthDir,
      orphanTimeoutMs: 3_600_000,
      realtime: false,
      ...(options.captionWer ? { captionWer: options.captionWer } : {}),
      onEnded: () => undefined,
    });
    this.call.attach({
      send: (message) => {
        this.messages.push(message);
        this.onMessage?.(message);
      },
      sendAudio: (frame) => {
        this.framesSent += 1;
        this.onAudio?.(frame);
      },
    });
  }

  /** Renders everything, then starts the call at virtual time 0. */
  async start(): Promise<this> {
    await this.call.prepared;
    this.call.start();
    return this;
  }

  advance(ms: number): Promise<void> {
    return this.call.mediaClock.advance(ms);
  }

  /** Advances until `predicate` holds on the ground truth, or fails after `limitMs` of call time. */
  async until(predicate: (lines: TruthLine[]) => boolean, limitMs = 300_000): Promise<number> {
    const start = this.call.mediaClock.now();
    while (!predicate(this.truth())) {
      if (this.call.mediaClock.now() - start > limitMs || this.call.mediaClock.isStopped) {
        throw new Error(
          `not reached within ${limitMs} ms of call time; truth: ${JSON.stringify(this.truth())}`,
        );
      }
      await this.advance(100);
    }
    return this.call.mediaClock.now();
  }

  press(digits: string): void {
    this.call.receiveDtmf(digits);
  }

  say(text: string): void {
    const id = this.nextId++;
    this.call.speechStarted(id, text);
    this.call.speechEnded(id);
  }

  bridge(device: string): Promise<void> {
    return this.call.bridge(device, this.nextId++);
  }

  truth(): TruthLine[] {
    return readFileSync(this.call.truth.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as TruthLine);
  }

  /** The node ids the call went through, in order. */
  nodes(): string[] {
    return this.truth().flatMap((l) => (l.ev === 'node' ? [l.id] : []));
  }

  finalCaptions(): string[] {
    return this.messages.flatMap((m) => (m.type === 'caption' && m.final ? [m.text] : []));
  }

  lineStates(): string[] {
    return this.messages.flatMap((m) => (m.type === 'progress' ? [m.state] : []));
  }
}

/** A scenario around the given nodes, with the format's boilerplate filled in. */
export function scenarioWith(
  nodes: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    format: 'holdslayer-scenario/v1',
    id: 'unit-scenario',
    company: 'Unit Test Co',
    number: '+15550001111',
    ring: 0,
    start: 'start',
    nodes,
    task: { intent: 'test', expect: 'agent' },
    ...extra,
  };
}

export const agentNode = {
  type: 'agent',
  department: 'test',
  play: { say: 'Hi, this is Sam, how can I help?' },
};
