import { createRenderer } from '../support/audioFixtures.js';
import { describeWith } from '../support/services.js';
import { SimulatedCall, agentNode, scenarioWith } from '../support/simulatedCall.js';
import type { TruthLine } from '../../carrier/call/groundTruth.js';

const reached = (id: string) => (lines: TruthLine[]) =>
  lines.some((l) => l.ev === 'node' && l.id === id);
const hungUp = (lines: TruthLine[]) => lines.some((l) => l.ev === 'hangup');
const menu = (extra: Record<string, unknown> = {}) => ({
  type: 'menu',
  play: { say: 'For sales, press 1. For support, press 2.' },
  options: { '1': 'sales', '2': 'agent' },
  ...extra,
});
const sales = { type: 'hangup', play: { say: 'Sales is closed.' } };

describeWith(['sounds'], 'the simulated carrier, node by node (virtual clock)', () => {
  const { renderer, close } = createRenderer();
  afterAll(close);
  const simulate = (scenario: unknown) => new SimulatedCall(renderer, scenario).start();

  describe('prompt and hangup', () => {
    it('plays a prompt, goes to its next node, and a hangup node ends the call from the carrier', async () => {
      const call = await simulate(
        scenarioWith({
          start: {
            type: 'prompt',
            play: { say: 'Welcome to the unit test company.' },
            next: 'bye',
          },
          bye: { type: 'hangup', play: { say: 'Goodbye.' } },
          agent: agentNode,
        }),
      );
      await call.until(hungUp);
      expect(call.nodes()).toEqual(['start', 'bye']);
      expect(call.finalCaptions()).toEqual(['Welcome to the unit test company.', 'Goodbye.']);
      expect(call.truth().at(-1)).toMatchObject({ ev: 'hangup', by: 'carrier' });
      expect(call.lineStates()).toEqual(['ringing', 'answered', 'ended']);
    });

    it('sends captions word by word while a clip plays, then whole', async () => {
      const call = await simulate(
        scenarioWith({
          start: { type: 'hangup', play: { say: 'one two three four' } },
          agent: agentNode,
        }),
      );
      await call.until(hungUp);
      const captions = call.messages.flatMap((m) =>
        m.type === 'caption' ? [`${m.final ? 'F' : 'I'}:${m.text}`] : [],
      );
      expect(captions).toEqual(['I:one', 'I:one two', 'I:one two three', 'F:one two three four']);
    });
  });

  describe('menu', () => {
    it('takes a key during the prompt (barge-in), cutting it short', async () => {
      const call = await simulate(scenarioWith({ start: menu(), sales, agent: agentNode }));
      await call.advance(1000);
      call.press('2');
      await call.until(reached('agent'));
      const at = call.truth().find((l) => l.ev === 'node' && l.id === 'agent')!.t;
      expect(at).toBeLessThan(1500);
      expect(call.finalCaptions()[0]).not.toContain('support');
    });

    it('ignores keys during a prompt without barge-in, and takes them after it', async () => {
      const call = await simulate(
        scenarioWith({ start: menu({ bargeIn: false }), sales, agent: agentNode }),
      );
      await call.advance(1000);
      call.press('2');
      await call.advance(6000);
      expect(call.nodes()).toEqual(['start']);
      call.press('2');
      await call.until(reached('agent'), 2000);
      expect(call.finalCaptions()[0]).toBe('For sales, press 1. For support, press 2.');
    });

    it('says a key is invalid, repeats the menu, and after its retries goes to onExhausted', async () => {
      const call = await simulate(
        scenarioWith({
          start: menu({
            invalid: { say: 'That is not a choice.' },
            retries: 1,
            onExhausted: 'sales',
          }),
          sales,
          agent: agentNode,
        }),
      );
      for (let attempt = 0; attempt < 2; attempt++) {
        await call.until(
          (lines) =>
            lines.filter((l) => l.ev === 'clip' && l.caption?.startsWith('For sales')).length >
            attempt,
        );
        call.press('9');
      }
      await call.until(reached('sales'));
      expect(call.finalCaptions().filter((c) => c === 'That is not a choice.')).toHaveLength(2);
      expect(
        call
          .truth()
          .filter((l) => l.ev === 'dtmf')
          .map((l) => (l as { digits: string }).digits),
      ).toEqual(['9', '9']);
    });

    it('hangs up after its retries when nobody chooses, or goes to onTimeout', async () => {
      const silent = await simulate(
        scenarioWith({ start: menu({ timeout: 2, retries: 2 }), sales, agent: agentNode }),
      );
      await silent.until(hungUp);
      expect(silent.truth().filter((l) => l.ev === 'clip')).toHaveLength(3);
      const routed = await simulate(
        scenarioWith({ start: menu({ timeout: 2, onTimeout: 'agent' }), sales, agent: agentNode }),
      );
      await routed.until(reached('agent'));
      expect(
        routed.truth().filter((l) => l.ev === 'clip' && l.caption?.startsWith('For sales')),
      ).toHaveLength(1);
    });

    it('recognises a spoken phrase in a speech menu, and finds none in other words', async () => {
      const speech = {
        type: 'menu',
        play: { say: 'Tell me what you need.' },
        speech: { billing: 'agent', 'new service': 'sales' },
        invalid: { say: 'Sorry, I did not understand.' },
      };
      const call = await simulate(scenarioWith({ start: speech, sales, agent: agentNode }));
      await call.advance(3000);
      call.say('I want pizza');
      await call.advance(4000);
      call.say('start new service please');
      await call.until(reached('sales'));
      expect(
        call
          .truth()
          .filter((l) => l.ev === 'speech')
          .map((l) => (l as { text: string }).text),
      ).toEqual(['I want pizza', 'start new service please']);
      expect(call.finalCaptions()).toContain('Sorry, I did not understand.');
    });

    it('waits for the rest of a longer option before choosing the shorter one', async () => {
      const call = await simulate(
        scenarioWith({
          start: menu({ options: { '1': 'sales', '12': 'agent' } }),
          sales,
          agent: agentNode,
        }),
      );
      await call.advance(500);
      call.press('12');
      await call.until(reached('agent'));
      const single = await simulate(
        scenarioWith({
          start: menu({ options: { '1': 'agent', '12': 'sales' } }),
          sales,
          agent: agentNode,
        }),
      );
      await single.advance(500);
      single.press('1');
      const at = await single.until(reached('agent'));
      expect(at).toBeGreaterThanOrEqual(2500);
    });
  });

  describe('input', () => {
    const input = (extra: Record<string, unknown> = {}) => ({
      type: 'input',
      play: { say: 'Enter your account number, then pound.' },
      digits: { min: 4, max: 6, terminator: '#' },
      expect: 'secret:account',
      next: 'agent',
      onInvalid: 'sales',
      ...extra,
    });
    const withSecret = { task: { intent: 'test', expect: 'agent', secrets: { account: '12345' } } };

    it('takes the digits up to the terminator and checks them against the secret', async () => {
      const call = await simulate(
        scenarioWith({ start: input(), sales, agent: agentNode }, withSecret),
      );
      await call.advance(3000);
      call.press('12345#');
      await call.until(reached('agent'));
      const wrong = await simulate(
        scenarioWith({ start: input(), sales, agent: agentNode }, withSecret),
      );
      await wrong.advance(3000);
      wrong.press('99999#');
      await wrong.until(reached('sales'));
    });

    it('ends an entry at its longest without a terminator, and checks a pattern', async () => {
      const call = await simulate(
        scenarioWith(
          {
            start: input({ digits: { min: 8, max: 8 }, expect: '(19|20)\\d{6}' }),
            sales,
            agent: agentNode,
          },
          withSecret,
        ),
      );
      await call.advance(500);
      call.press('19840229');
      await call.until(reached('agent'));
    });

    it('asks again without onInvalid, then hangs up', async () => {
      const call = await simulate(
        scenarioWith(
          { start: input({ onInvalid: undefined }), sales, agent: agentNode },
          withSecret,
        ),
      );
      await call.until(hungUp);
      expect(call.truth().filter((l) => l.ev === 'clip')).toHaveLength(3);
    });
  });

  describe('queue', () => {
    const queue = (extra: Record<string, unknown> = {}) => ({
      type: 'queue',
      music: { moh: 'macroform-robot_dity' },
      announce: { play: { say: 'Please continue to hold.' }, every: 10, first: 4 },
      wait: 30,
      agent: 'agent',
      ...extra,
    });

    it('plays music, cuts in announcements on time, and puts the agent on at the wait', async () => {
      const call = await simulate(scenarioWith({ start: queue(), agent: agentNode }));
      await call.until((l) => l.some((x) => x.ev === 'clip' && x.human));
      const lines = call.truth();
      const announcements = lines
        .filter((l) => l.ev === 'clip' && l.caption === 'Please continue to hold.')
        .map((l) => l.t);
      expect(announcements).toEqual([4020, 14020, 24020]);
      expect(
        lines.filter((l) => l.ev === 'clip' && l.kind === 'moh').length,
      ).toBeGreaterThanOrEqual(3);
      // The agent picks up at the wait; its voice starts with the next frame.
      expect(lines.find((l) => l.ev === 'agent-start')!.t).toBe(30_020);
      expect(lines.find((l) => l.ev === 'clip' && l.human)).toMatchObject({
        caption: 'Hi, this is Sam, how can I help?',
      });
    });

    it('draws a random wait from a generator seeded by the scenario id', async () => {
      const waits: number[] = [];
      for (const id of ['seed-a', 'seed-a', 'seed-b']) {
        const call = await simulate(
          scenarioWith(
            { start: queue({ wait: [10, 40], announce: undefined }), agent: agentNode },
            { id },
          ),
        );
        await call.until((l) => l.some((x) => x.ev === 'agent-start'));
        waits.push(call.truth().find((l) => l.ev === 'agent-start')!.t);
      }
      expect(waits[0]).toBe(waits[1]);
      expect(waits[2]).not.toBe(waits[0]);
      for (const w of waits) expect(w >= 10_000 && w <= 40_020).toBe(true);
    });

    it('takes a callback offer when its key is pressed', async () => {
      const call = await simulate(
        scenarioWith({
          start: queue({
            callback: {
              every: 8,
              play: { say: 'Press 1 for a call back.' },
              digit: '1',
              next: 'later',
            },
          }),
          later: { type: 'hangup', play: { say: 'We will call you back.' } },
          agent: agentNode,
        }),
      );
      await call.until((l) =>
        l.some((x) => x.ev === 'clip' && x.caption === 'Press 1 for a call back.'),
      );
      await call.advance(500);
      call.press('1');
      await call.until(reached('later'));
      expect(call.truth().some((l) => l.ev === 'agent-start')).toBe(false);
    });
  });

  describe('agent', () => {
    it('starts when its voice does, after any ringing or music it plays first', async () => {
      const call = await simulate(
        scenarioWith({
          start: {
            ...agentNode,
            play: [{ tone: 'ringback', seconds: 2 }, { say: 'Hello, this is Tom.' }],
          },
          agent: agentNode,
        }),
      );
      await call.until((l) => l.some((x) => x.ev === 'agent-start'));
      const lines = call.truth();
      const ringing = lines.find((l) => l.ev === 'clip' && l.kind === 'tone')!;
      expect(lines.find((l) => l.ev === 'agent-start')!.t - ringing.t).toBe(2000);
    });

    it('asks "are you there?" after its patience, then hangs up', async () => {
      const call = await simulate(
        scenarioWith({ start: { ...agentNode, patience: 5 }, agent: agentNode }),
      );
      await call.until(hungUp);
      const lines = call.truth();
      expect(
        lines
          .filter((l) => l.ev === 'clip' && l.human)
          .map((l) => (l as { caption: string }).caption),
      ).toEqual(['Hi, this is Sam, how can I help?', 'Hello? Are you there?']);
      expect(lines.at(-1)).toMatchObject({
        ev: 'hangup',
        by: 'carrier',
        reason: 'agent gave up waiting',
      });
    });

    it('stays on the line for a caller who speaks, and for the bridged user', async () => {
      const call = await simulate(
        scenarioWith({ start: { ...agentNode, patience: 5 }, agent: agentNode }),
      );
      await call.advance(4000);
      call.say('Hi, one moment please');
      await call.advance(4000);
      const bridging = call.bridge('sim:user');
      await call.advance(1000);
      await bridging;
      await call.until(hungUp);
      const lines = call.truth();
      expect(lines.filter((l) => l.ev === 'clip' && l.human)).toHaveLength(1);
      expect(lines.find((l) => l.ev === 'bridged')).toMatchObject({ to: 'sim:user' });
      expect(lines.at(-1)).toMatchObject({
        ev: 'hangup',
        by: 'caller',
        reason: 'conversation over',
      });
    });

    it('fails a bridge to a phone that is busy', async () => {
      const call = await simulate(scenarioWith({ start: agentNode, agent: agentNode }));
      await call.advance(500);
      const bridging = call.bridge('sim:busy').then(
        () => 'bridged',
        (e: Error) => e.message,
      );
      await call.advance(1000);
      expect(await bridging).toMatch(/sim:busy did not answer: busy/);
      expect(call.truth().some((l) => l.ev === 'bridged')).toBe(false);
    });
  });
});
