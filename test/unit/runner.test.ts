import path from 'node:path';
import { summarizeTruth } from '../../carrier/call/truthSummary.js';
import type { TruthLine } from '../../carrier/call/groundTruth.js';
import { loadScenarios } from '../../carrier/scenario/load.js';
import { scenarioSchema } from '../../carrier/scenario/schema.js';
import { flowDefinitionSchema } from '../../flows/model.js';
import { endsLike } from '../../flows/promptMatch.js';
import { flowFromScenario } from '../../runner/flowFromScenario.js';
import { percentile, scoreCall, summarize } from '../../runner/score.js';
import { agentNode, scenarioWith } from '../support/simulatedCall.js';

const scenariosDir = path.resolve('scenarios');

describe('flows built from scenarios', () => {
  it('finds a valid flow for every scenario in the project', async () => {
    for (const { scenario } of await loadScenarios([scenariosDir])) {
      const flow = flowDefinitionSchema.parse(flowFromScenario(scenario));
      expect(flow.steps.at(-1)!.type).toBe('TRANSFER');
      expect(flow.phone_number).toBe(scenario.number);
    }
  });

  it('keys the shortest way to the expected agent, secrets by reference, then holds', () => {
    const scenario = scenarioSchema.parse(
      scenarioWith(
        {
          start: { type: 'prompt', play: { say: 'Welcome.' }, next: 'main' },
          main: {
            type: 'menu',
            play: { say: 'For billing press 1. For anything else press 2.' },
            options: { '1': 'billing', '2': 'other' },
          },
          billing: {
            type: 'menu',
            play: { say: 'Billing. Say the reason.' },
            speech: { 'a charge': 'account' },
          },
          other: { type: 'hangup' },
          account: {
            type: 'input',
            play: { say: 'Enter your account number then pound.' },
            digits: { min: 6, max: 6, terminator: '#' },
            expect: 'secret:account',
            next: 'queue',
          },
          queue: {
            type: 'queue',
            music: { moh: 'macroform-cold_day' },
            wait: [30, 60],
            agent: 'agent',
          },
          agent: agentNode,
        },
        { task: { intent: 'x', expect: 'agent', secrets: { account: '123456' } } },
      ),
    );
    const flow = flowDefinitionSchema.parse(flowFromScenario(scenario));
    expect(flow.steps.map((s) => [s.type, s.dtmf ?? s.metadata.text ?? null])).toEqual([
      ['LISTEN', '1'],
      ['LISTEN', null],
      ['SPEAK', 'a charge'],
      ['LISTEN', '{secret:account}#'],
      ['HOLD', null],
      ['TRANSFER', null],
    ]);
    expect(flow.steps[0]!.metadata.expect).toBe('For billing press 1. For anything else press 2.');
    expect(flow.steps[4]!.timeout).toBe(60 + 300);
    // The queue plays music only: the flow knows there is nothing recorded to mistake for a person.
    expect(flow.steps[4]!.metadata.recordings).toEqual({ openings: [] });
  });

  it('tells its HOLD what the line plays after the last key: prompts, announcements, callback offers', () => {
    const scenario = scenarioSchema.parse(
      scenarioWith({
        start: {
          type: 'menu',
          play: { say: 'Press 2 for support.' },
          options: { '2': 'transfer' },
        },
        transfer: {
          type: 'prompt',
          play: [{ sound: 'pls-hold-while-try' }, { say: 'Transferring you now.' }],
          next: 'queue',
        },
        queue: {
          type: 'queue',
          music: { moh: 'macroform-cold_day' },
          announce: { play: { say: 'Please continue to hold.' }, every: 10 },
          callback: {
            every: 20,
            play: { say: 'Press 1 for a call back.' },
            digit: '1',
            next: 'agent',
          },
          wait: 30,
          agent: 'agent',
        },
        agent: agentNode,
      }),
    );
    const captions = new Map([['pls-hold-while-try', 'Please hold while we try to connect you.']]);
    const hold = flowFromScenario(scenario, captions).steps.find((s) => s.type === 'HOLD')!;
    expect(hold.metadata).toEqual({
      recordings: {
        openings: [
          'Please hold while we try to connect you.',
          'Transferring you now.',
          'Please continue to hold.',
          'Press 1 for a call back.',
        ],
      },
    });
  });

  it('finds digits that an input pattern accepts, when the entry is no secret', () => {
    const scenario = scenarioSchema.parse(
      scenarioWith({
        start: {
          type: 'input',
          play: { say: 'Year?' },
          digits: { min: 4, max: 4 },
          expect: '(19|20)\\d\\d',
          next: 'agent',
        },
        agent: agentNode,
      }),
    );
    const dtmf = flowFromScenario(scenario).steps[0]!.dtmf!;
    expect(dtmf).toMatch(/^(19|20)\d\d$/);
  });
});

describe('hearing a prompt out', () => {
  const prompt = 'To dispute a charge, press 3. For all other questions, press 0.';
  it('matches the closing words, with one misheard', () => {
    expect(endsLike(`Welcome. ${prompt}`, prompt)).toBe(true);
    expect(endsLike('for all other questions dress 0', prompt)).toBe(true);
  });
  it('does not match before the prompt has ended', () => {
    expect(endsLike('To dispute a charge, press 3. For all other', prompt)).toBe(false);
    expect(endsLike('Please hold.', prompt)).toBe(false);
  });
});

describe('scores', () => {
  const scenario = scenarioSchema.parse(scenarioWith({ start: agentNode, agent: agentNode }));
  const truth = (lines: Partial<TruthLine>[]) => summarizeTruth(lines as TruthLine[]);

  it('is ok when the expected agent spoke first and the user was bridged', () => {
    const score = scoreCall(
      scenario,
      truth([
        { t: 0, ev: 'node', id: 'agent' },
        { t: 100, ev: 'agent-start', node: 'agent' },
        { t: 1300, ev: 'bridged', to: 'sim:u' },
        { t: 6300, ev: 'hangup', by: 'caller' },
      ]),
      'connected',
      'x.jsonl',
    );
    expect(score).toMatchObject({
      ok: true,
      detectionLatencyMs: 1200,
      falseTransfer: false,
      durationMs: 6300,
    });
  });

  it('is a false transfer when the user was bridged before any agent spoke', () => {
    const score = scoreCall(
      scenario,
      truth([
        { t: 500, ev: 'bridged', to: 'sim:u' },
        { t: 900, ev: 'agent-start', node: 'agent' },
      ]),
      'connected',
      'x.jsonl',
    );
    expect(score).toMatchObject({ ok: false, falseTransfer: true, detectionLatencyMs: null });
  });

  it('counts an agent who hung up waiting', () => {
    const score = scoreCall(
      scenario,
      truth([
        { t: 100, ev: 'agent-start', node: 'agent' },
        { t: 20_100, ev: 'hangup', by: 'carrier', reason: 'agent gave up waiting' },
      ]),
      'dropped',
      'x.jsonl',
    );
    expect(score).toMatchObject({ ok: false, agentHungUp: true });
  });

  it('summarizes with nearest-rank percentiles', () => {
    expect(percentile([100, 200, 300, 400], 0.5)).toBe(200);
    expect(percentile([100, 200, 300, 400], 0.95)).toBe(400);
    expect(percentile([], 0.5)).toBeNull();
    const base = scoreCall(scenario, truth([]), 'busy', 'x');
    const summary = summarize([
      { ...base, ok: true, detectionLatencyMs: 900 },
      { ...base, ok: false, falseTransfer: true },
    ]);
    expect(summary).toMatchObject({
      scenarios: 2,
      ok: 1,
      falseTransfers: 1,
      detectionLatencyMs: { p50: 900, max: 900, count: 1 },
    });
  });

  it('counts calls ok on their first dial apart from those that dialled again', () => {
    const base = scoreCall(scenario, truth([]), 'connected', 'x');
    const redialled = scoreCall(scenario, truth([]), 'connected', 'x', undefined, 2);
    expect(redialled.dials).toBe(2);
    const summary = summarize([
      { ...base, ok: true },
      { ...redialled, ok: true },
      { ...base, ok: false },
    ]);
    expect(summary).toMatchObject({ ok: 2, okFirstDial: 1, redialled: 1 });
  });
});
