import path from 'node:path';
import seedrandom from 'seedrandom';
import { samplesPerFrame, type SampleRate } from '../../media/audio/pcm.js';
import { tone } from '../../media/audio/tones.js';
import type { CarrierMessage, LineState } from '../../media/telephony/sim/protocol.js';
import type { ClipRenderer, RenderedClip } from '../audio/clipRenderer.js';
import type { LoadedScenario } from '../scenario/load.js';
import type { Play, Scenario, ScenarioNode } from '../scenario/schema.js';
import type { PhoneEndpoint, SimulatedPhones } from '../userPhones.js';
import type { LineConditions } from '../line/lineConditions.js';
import { LineImpairment } from '../line/lineImpairment.js';
import { CaptionDegrader } from './captionDegrader.js';
import { CallerInput } from './callerInput.js';
import { GroundTruthLog } from './groundTruth.js';
import { CallEndedError, MediaClock } from './mediaClock.js';
import type { NodeContext, NodeResult } from './nodeContext.js';
import { runAgent } from './nodes/agent.js';
import { runInput } from './nodes/input.js';
import { runMenu } from './nodes/menu.js';
import { runHangup, runPrompt } from './nodes/prompt.js';
import { runQueue } from './nodes/queue.js';
import { Player } from './player.js';

/** The socket a caller has attached to this call with, if any. */
export interface LegChannel {
  send(message: CarrierMessage): void;
  sendAudio(frame: Int16Array): void;
}

export interface SimCallOptions {
  callId: string;
  to: string;
  sampleRate: SampleRate;
  loaded: LoadedScenario | undefined;
  renderer: ClipRenderer;
  phones: SimulatedPhones;
  truthDir: string;
  /** A call nobody is attached to is hung up after this long. */
  orphanTimeoutMs: number;
  /** Share of caption words the caller's stand-in recogniser gets wrong (0 to 1). */
  captionWer?: number;
  /** What the network does to the audio on its way to the caller; instead of the scenario's own `line`, if it names one. */
  line?: LineConditions;
  /** False for a virtual clock that tests advance by hand. */
  realtime?: boolean;
  onEnded(call: SimCall): void;
}

/** Spacing of received DTMF digits: a 60 ms tone and its gap, as RFC 4733 events arrive. */
const DIGIT_SPACING_MS = 100;
const NOT_IN_SERVICE =
  "We're sorry. The number you have dialed is not in service. Please check the number and try again.";
const ARE_YOU_THERE = 'Hello? Are you there?';
/** Clips that are a voice, as opposed to music, tones or silence. */
const SPOKEN_KINDS = new Set(['say', 'sound', 'file']);

/**
 * One call on the simulated carrier: rings, then plays its scenario against
 * whatever the caller does, in real time, and records the ground truth. It
 * belongs to the carrier, not to a caller's socket: callers come and go
 * (a worker restarts), the call goes on.
 */
export class SimCall {
  readonly id: string;
  readonly truth: GroundTruthLog;
  private state: LineState = 'ringing';
  private channel: LegChannel | undefined;
  private readonly clock: MediaClock;
  private readonly player: Player;
  private readonly input: CallerInput;
  private readonly line: LineImpairment | undefined;
  private bridgedTo: string | undefined;
  private resolveBridged!: () => void;
  private readonly bridged = new Promise<void>((r) => (this.resolveBridged = r));
  private orphanTimer: NodeJS.Timeout | undefined;
  private speech: { id: number; text: string } | undefined;
  private userPhone: PhoneEndpoint | undefined;
  private currentNode = '';
  private agentStartLogged = false;
  private preparing: Promise<unknown> | undefined;

  constructor(private readonly options: SimCallOptions) {
    this.id = options.callId;
    this.clock = new MediaClock(() => this.tick(), { realtime: options.realtime ?? true });
    const degrader = options.captionWer
      ? // Seeded by the scenario, so a run with errors in its captions repeats exactly.
        new CaptionDegrader(options.captionWer, options.loaded?.scenario.id ?? options.to)
      : undefined;
    this.player = new Player(samplesPerFrame(options.sampleRate), {
      clipStarted: (clip, human) => {
        this.truth.write({ ev: 'clip', kind: clip.kind, caption: clip.caption ?? null, human });
        // The agent starts when it starts to speak: not while it still rings through or lets music play.
        if (human && !this.agentStartLogged && SPOKEN_KINDS.has(clip.kind)) {
          this.agentStartLogged = true;
          this.truth.write({ ev: 'agent-start', node: this.currentNode });
        }
      },
      caption: (text, final) => this.channel?.send({ type: 'caption', text, final }),
      ...(degrader ? { recognise: (caption: string) => degrader.degrade(caption) } : {}),
    });
    const line = options.line ?? options.loaded?.scenario.line;
    // Seeded by the scenario too: the same losses and noise on every run of it.
    this.line = line
      ? new LineImpairment(line, options.loaded?.scenario.id ?? options.to)
      : undefined;
    this.input = new CallerInput(this.clock);
    this.truth = new GroundTruthLog(path.join(options.truthDir, `${sanitize(this.id)}.jsonl`), () =>
      this.clock.now(),
    );
    this.truth.write({
      ev: 'call',
      callId: this.id,
      number: options.to,
      scenario: options.loaded?.scenario.id ?? null,
    });
  }

  get sampleRate(): SampleRate {
    return this.options.sampleRate;
  }

  get lineState(): LineState {
    return this.state;
  }

  get isBridged(): boolean {
    return this.bridgedTo !== undefined;
  }

  /** Every clip the call can play, rendered; starts rendering if the call has not started yet. */
  get prepared(): Promise<unknown> {
    this.preparing ??= this.prerender();
    return this.preparing;
  }

  /** The call's media clock; a virtual one (realtime: false) is advanced through it. */
  get mediaClock(): MediaClock {
    return this.clock;
  }

  start(): void {
    void this.prepared;
    this.clock.start();
    this.armOrphanTimer();
    void this.run();
  }

  attach(channel: LegChannel): void {
    this.channel = channel;
    if (this.orphanTimer) clearTimeout(this.orphanTimer);
    this.orphanTimer = undefined;
  }

  detach(channel: LegChannel): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    this.armOrphanTimer();
  }

  receiveDtmf(digits: string): void {
    if (this.state !== 'answered') return;
    this.truth.write({ ev: 'dtmf', digits });
    [...digits].forEach((digit, i) => {
      this.clock.after(i * DIGIT_SPACING_MS).then(
        () => this.input.push({ kind: 'dtmf', digit }),
        () => undefined,
      );
    });
  }

  /** The phrases the menu playing now listens for (its `speech` choices); none when it takes no speech. */
  get speechChoices(): string[] {
    const node = this.options.loaded?.scenario.nodes[this.currentNode];
    return node && 'speech' in node && node.speech ? Object.keys(node.speech) : [];
  }

  speechStarted(id: number, text: string): void {
    this.speech = { id, text };
  }

  /** The caller finished speaking: the recogniser hears what it said. */
  speechEnded(id: number): void {
    const speech = this.speech;
    if (!speech || speech.id !== id) return;
    this.speech = undefined;
    if (this.state !== 'answered') return;
    this.truth.write({ ev: 'speech', text: speech.text });
    this.input.push({ kind: 'speech', text: speech.text });
  }

  /** Rings the person's phone and joins it to this call once answered. */
  async bridge(device: string, id: number): Promise<void> {
    if (this.state !== 'answered') throw new Error(`cannot bridge a call that is ${this.state}`);
    if (this.bridgedTo) throw new Error(`already bridged to ${this.bridgedTo}`);
    this.channel?.send({ type: 'bridge-progress', id, state: 'ringing' });
    const result = await this.options.phones.ring(device, this.id, this.clock);
    if (!result.answered) {
      this.channel?.send({ type: 'bridge-progress', id, state: 'failed', cause: result.cause });
      throw new Error(`the user's phone ${device} did not answer: ${result.cause}`);
    }
    if (this.state !== 'answered') throw new Error('the line dropped while the user was ringing');
    this.bridgedTo = device;
    this.userPhone = result.endpoint;
    this.truth.write({ ev: 'bridged', to: device });
    this.resolveBridged();
    this.channel?.send({ type: 'bridge-progress', id, state: 'answered' });
  }

  hangupByCaller(reason?: string): void {
    this.end('caller', reason);
  }

  private tick(): void {
    const frame = this.player.nextFrame();
    // Every frame goes through the line, heard or not: its losses and levels run on in time.
    const received = this.line ? this.line.process(frame) : frame;
    this.channel?.sendAudio(received);
    this.userPhone?.hearAudio(frame);
  }

  private async run(): Promise<void> {
    try {
      const loaded = this.options.loaded;
      if (!loaded) {
        await this.intercept();
        return;
      }
      const { scenario } = loaded;
      // Every clip renders while the line rings, so nothing stalls once answered.
      const rendering = this.prepared;
      this.send({ type: 'progress', state: 'ringing' });
      const ringback = this.render([{ tone: 'ringback', seconds: Math.max(scenario.ring, 0.02) }]);
      if (scenario.ring > 0) {
        void this.player.play(await ringback);
        await this.clock.after(scenario.ring * 1000);
        this.player.stop();
      }
      switch (scenario.outcome) {
        case 'busy':
          return await this.failLine('busy', { tone: tone('busy', this.sampleRate, 3) });
        case 'no-answer':
          return this.failLine('no-answer', {});
        case 'disconnected':
          return await this.intercept();
        case 'answer':
          break;
      }
      await rendering;
      this.state = 'answered';
      this.truth.markAnswered();
      this.send({ type: 'progress', state: 'answered' });
      const result = await this.walk(scenario, loaded.dir);
      this.end(result.by ?? 'carrier', result.reason);
    } catch (e) {
      if (e instanceof CallEndedError || this.state === 'ended') return;
      this.end('carrier', `carrier error: ${(e as Error).message}`);
    }
  }

  private async walk(
    scenario: Scenario,
    dir: string,
  ): Promise<Extract<NodeResult, { end: 'hangup' }>> {
    const ctx: NodeContext = {
      scenario,
      clock: this.clock,
      player: this.player,
      input: this.input,
      truth: this.truth,
      random: seedrandom(scenario.id),
      render: (play) => this.renderIn(play, dir),
      areYouThere: () => this.renderIn([{ say: ARE_YOU_THERE }], dir),
      bridged: this.bridged,
      isBridged: () => this.isBridged,
    };
    let nodeId = scenario.start;
    for (;;) {
      const node = scenario.nodes[nodeId]!;
      this.currentNode = nodeId;
      this.truth.write({ ev: 'node', id: nodeId });
      const result = await runNode(node, ctx);
      if ('end' in result) return result;
      nodeId = result.next;
    }
  }

  /** A number nobody answers: special information tones and the recorded apology. */
  private async intercept(): Promise<void> {
    const clips = await this.render([{ tone: 'sit' }, { say: NOT_IN_SERVICE }]);
    await this.failLine('disconnected', { clips });
  }

  private async failLine(
    state: 'busy' | 'no-answer' | 'disconnected',
    audio: { tone?: ReturnType<typeof tone>; clips?: RenderedClip[] },
  ): Promise<void> {
    this.truth.write({ ev: 'line', outcome: state });
    this.send({ type: 'progress', state });
    if (audio.tone)
      await this.player.play([{ kind: 'tone', audio: audio.tone, caption: undefined }]);
    if (audio.clips) await this.player.play(audio.clips);
    this.end('carrier', state);
  }

  private prerender(): Promise<unknown> {
    const loaded = this.options.loaded;
    const plays: Play[] = [[{ tone: 'sit' }, { say: NOT_IN_SERVICE }]];
    if (loaded) {
      plays.push(
        [{ tone: 'ringback', seconds: Math.max(loaded.scenario.ring, 0.02) }],
        [{ say: ARE_YOU_THERE }],
      );
      for (const node of Object.values(loaded.scenario.nodes)) {
        if ('play' in node && node.play) plays.push(node.play);
        if (node.type === 'menu' && node.invalid) plays.push(node.invalid);
        if (node.type === 'queue') {
          plays.push(node.music);
          if (node.announce) plays.push(node.announce.play);
          if (node.callback) plays.push(node.callback.play);
        }
      }
    }
    return Promise.all(plays.map((p) => this.render(p)));
  }

  private render(play: Play): Promise<RenderedClip[]> {
    return this.renderIn(play, this.options.loaded?.dir ?? '.');
  }

  private renderIn(play: Play, dir: string): Promise<RenderedClip[]> {
    return this.options.renderer.renderAll(play, this.sampleRate, dir);
  }

  private send(message: CarrierMessage): void {
    this.channel?.send(message);
  }

  private end(by: 'carrier' | 'caller', reason?: string): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.truth.write(reason ? { ev: 'hangup', by, reason } : { ev: 'hangup', by });
    this.truth.close();
    this.player.stop();
    this.input.end();
    this.clock.stop();
    if (this.orphanTimer) clearTimeout(this.orphanTimer);
    this.send({ type: 'progress', state: 'ended', cause: reason ?? `hung up by ${by}` });
    this.userPhone?.callEnded(this.id, reason ?? `hung up by ${by}`);
    this.options.onEnded(this);
  }

  private armOrphanTimer(): void {
    if (this.state === 'ended' || this.orphanTimer) return;
    this.orphanTimer = setTimeout(
      () => this.end('caller', 'no caller attached'),
      this.options.orphanTimeoutMs,
    );
    this.orphanTimer.unref();
  }
}

function runNode(node: ScenarioNode, ctx: NodeContext): Promise<NodeResult> {
  switch (node.type) {
    case 'prompt':
      return runPrompt(node, ctx);
    case 'menu':
      return runMenu(node, ctx);
    case 'input':
      return runInput(node, ctx);
    case 'queue':
      return runQueue(node, ctx);
    case 'agent':
      return runAgent(node, ctx);
    case 'hangup':
      return runHangup(node, ctx);
  }
}

function sanitize(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, '_');
}
