import path from 'node:path';
import { existsSync } from 'node:fs';
import { SoundLibrary, defaultSoundPaths } from '../../carrier/audio/soundLibrary.js';
import { matchPhrase } from '../../carrier/call/speechMatch.js';
import { loadScenarios } from '../../carrier/scenario/load.js';
import type { Clip, Scenario } from '../../carrier/scenario/schema.js';
import type { MenuContext, NavigatorAction } from '../../navigator/decision.js';
import { parseMenu } from '../../navigator/menuParser.js';
import { decideByRules } from '../../navigator/ruleNavigator.js';
import { DEFAULT_CONFIDENCE_THRESHOLD } from '../../navigator/threshold.js';
import { shortestPath } from '../../runner/scenarioPath.js';

const context = (transcript: string, intent: string, extra: Partial<MenuContext> = {}) => ({
  transcript,
  intent,
  secretNames: [],
  path: [],
  tried: [],
  ...extra,
});

describe('the rule navigator', () => {
  it('presses the option whose words fit the intent', async () => {
    const d = await decideByRules(
      context(
        'For account balances, press 1. For card services, press 2. To dispute a charge, press 3.',
        'dispute a charge on my credit card',
      ),
    );
    expect(d.action).toEqual({ kind: 'press', digits: '3' });
    // Confident enough that no language model need be asked.
    expect(d.confidence).toBeGreaterThanOrEqual(DEFAULT_CONFIDENCE_THRESHOLD);
    expect(d.decidedBy).toBe('rules');
  });

  it('matches by meaning where the words differ', async () => {
    const d = await decideByRules(
      context(
        'For new plans, press 1. For help with an existing service, press 2. To pay your bill, press 3.',
        'my home internet is slow and I want to talk to a technician',
      ),
    );
    expect(d.action).toEqual({ kind: 'press', digits: '2' });
  });

  it.each([
    [
      'change the dates of my booking',
      'For a new booking, press 1. To change or cancel an existing trip, press 2. For baggage, press 3.',
      '2',
    ],
    [
      'my mobile data stopped working',
      'For billing and payments for your mobile plan, press 1. For technical support, press 2. To upgrade your phone, press 3.',
      '2',
    ],
    [
      'a broken product I received',
      'For accounting and other receivables, press 1. For store hours and locations, press 2. To speak with a customer advocate, press 3.',
      '3',
    ],
    [
      'I already restarted the modem and it is still offline',
      'To restart your modem now, press 1. If you have already restarted it, press 2.',
      '2',
    ],
    [
      'my phone shows no service since this morning',
      'For billing questions or to make a payment, press 1. For technical support, press 2. To add a line or upgrade your device, press 3. For all other questions, press 0.',
      '2',
    ],
    [
      'the package I ordered arrived broken and I want to send it back',
      'For questions about a recent order, press 1. To start a return, press 2. For Prime membership, press 3. For anything else, press 4.',
      '2',
    ],
    [
      'update the mailing address on my account',
      'To pay your bill, press 1. To upgrade, press 2. For technical support, press 3. For more options, press 4.',
      '4',
    ],
  ])('reads the errand, not the words: "%s"', async (intent, menu, key) => {
    expect((await decideByRules(context(menu, intent))).action).toEqual({
      kind: 'press',
      digits: key,
    });
  });

  it('says the example that means the errand, not the one that shares a word with it', async () => {
    const d = await decideByRules(
      context(
        'In a few words, tell me why you are calling. You can say things like internet outage, billing, or new service.',
        'a question about my internet bill',
      ),
    );
    expect(d.action).toEqual({ kind: 'say', phrase: 'billing' });
  });

  it('takes the safest way, not a guess, when it is unsure', async () => {
    // Two options fit about as well: "more options" is safer than either.
    const d = await decideByRules(
      context(
        'For home phone, press 1. For home internet, press 2. For more options, press 9.',
        'my home service',
      ),
    );
    expect(d.action).toEqual({ kind: 'press', digits: '9' });
    expect(d.confidence).toBeLessThan(0.6);
    // Nothing fits and nothing is safe: hear the menu again first.
    const first = await decideByRules(
      context('For billing, press 1. For technical support, press 2.', 'ask about my pension'),
    );
    expect(first.action).toEqual({ kind: 'wait' });
  });

  it('hears a menu heard poorly again, then reads it from both hearings', async () => {
    const intent = 'dispute a charge on my credit card';
    const noisy =
      'For account balances, press 1. For card services, press the. To dispute a, dress.';
    const first = await decideByRules(context(noisy, intent));
    expect(first.action).toEqual({ kind: 'wait' });
    expect(first.reason).toMatch(/not heard clearly/);
    const again =
      'For a count balances, press 1. For card services press to. To dispute a charge press three.';
    const second = await decideByRules(
      context(again, intent, { heardBefore: [noisy], tried: [{ kind: 'wait' }] }),
    );
    expect(second.action).toEqual({ kind: 'press', digits: '3' });
  });

  it('asks to hear a menu again by its own key while an option is still lost', async () => {
    const intent = 'ask the pharmacist a question about my medication';
    const heardBefore = [
      'To refill a prescription, press 1. For store hours, press the To speak with a of that hear these options again, press 9.',
    ];
    const second =
      'To refill a prescription, press 1. the store hours, press 2. To speak with a pharmacit press To hear these options again, dress 9.';
    const d = await decideByRules(
      context(second, intent, { heardBefore, tried: [{ kind: 'wait' }] }),
    );
    expect(d.action).toEqual({ kind: 'press', digits: '9' });
    const third =
      'To refill a prescription, press 1. For store hours, press 2. To speak with a pharmacist, press 3. To hear these options again, press 9.';
    const then = await decideByRules(
      context(third, intent, {
        heardBefore: [...heardBefore, second],
        tried: [{ kind: 'wait' }, { kind: 'press', digits: '9' }],
      }),
    );
    expect(then.action).toEqual({ kind: 'press', digits: '3' });
  });

  it('asks to hear the choices again when that is what the person asks, and only then', async () => {
    const menu =
      'For billing, press 1. For technical support, press 2. To hear these options again, press 9.';
    for (const intent of ['sorry, can you go over those again', "I didn't catch all of that"]) {
      const d = await decideByRules(context(menu, intent));
      expect(d.action).toEqual({ kind: 'press', digits: '9' });
      expect(d.hearAgain).toBe(true);
    }
    const errand = await decideByRules(context(menu, 'my internet keeps dropping again'));
    expect(errand.action).toEqual({ kind: 'press', digits: '2' });
  });

  it('chooses the language the errand says the person speaks, or is written in, else English', async () => {
    const menu = 'For English, press 1. Para español, oprima el dos. For Vietnamese, press 3.';
    const choose = async (intent: string) => (await decideByRules(context(menu, intent))).action;
    expect(await choose('my mother only speaks Vietnamese and got a letter')).toEqual({
      kind: 'press',
      digits: '3',
    });
    expect(await choose('llamo por mi factura del mes pasado')).toEqual({
      kind: 'press',
      digits: '2',
    });
    expect(await choose('dispute a charge on my credit card')).toEqual({
      kind: 'press',
      digits: '1',
    });
  });

  it('answers a yes-or-no question by whether the errand is about what it names', async () => {
    const menu =
      'Are you calling about your recent order of a stand mixer that was delivered yesterday? Please say yes or no.';
    const answer = async (intent: string) => (await decideByRules(context(menu, intent))).action;
    expect(await answer('the mixer showed up with a dented bowl')).toEqual({
      kind: 'say',
      phrase: 'yes',
    });
    expect(await answer('my Prime membership renewed and I did not want it to')).toEqual({
      kind: 'say',
      phrase: 'no',
    });
    expect(await answer('it is about the blender I ordered, not the mixer')).toEqual({
      kind: 'say',
      phrase: 'no',
    });
  });

  it('reads a spoken list after a colon', async () => {
    const d = await decideByRules(
      context(
        'Tell me which of these you need: Billing, Technical Support, Device Protection, or Upgrade.',
        'my phone keeps dropping calls since the update',
      ),
    );
    expect(d.action).toEqual({ kind: 'say', phrase: 'technical support' });
  });

  it('keys the secret a prompt asks for, by name only, with the terminator it names', async () => {
    const d = await decideByRules(
      context('Please enter the last four digits of your card, followed by the pound key.', 'x', {
        secretNames: ['card', 'card_last4', 'dob'],
      }),
    );
    expect(d.action).toEqual({ kind: 'key-secret', name: 'card_last4', terminator: '#' });
    const dob = await decideByRules(
      context('Now enter your date of birth as two digits for the month.', 'x', {
        secretNames: ['member_id', 'dob'],
      }),
    );
    expect(dob.action).toEqual({ kind: 'key-secret', name: 'dob', terminator: '' });
  });

  it('keys whichever of the entries a prompt takes the call has', async () => {
    const d = await decideByRules(
      context(
        'To help us serve you better, please enter the phone number on your account, or the account number from your bill, followed by pound. If you are new to us, press 1.',
        'my bill went up this month',
        { secretNames: ['account'] },
      ),
    );
    expect(d.action).toEqual({ kind: 'key-secret', name: 'account', terminator: '#' });
  });

  it('takes an option over an entry said to be for other callers', async () => {
    const menu =
      'If you are calling about a credit card, enter the card number now. For a bank account, press 1. For a car loan, press 3.';
    const loan = await decideByRules(
      context(menu, 'I am behind on my car loan payments', { secretNames: ['card'] }),
    );
    expect(loan.action).toEqual({ kind: 'press', digits: '3' });
    const card = await decideByRules(
      context(menu, 'my credit card was declined at the store', { secretNames: ['card'] }),
    );
    expect(card.action).toEqual({ kind: 'key-secret', name: 'card', terminator: '' });
  });

  it('does not guess an entry it was not given', async () => {
    const d = await decideByRules(
      context('Please enter your policy number.', 'x', { secretNames: ['account'] }),
    );
    expect(d.action.kind).not.toBe('key-secret');
    expect(d.confidence).toBeLessThan(0.6);
  });

  it('never presses for a call back, a repeat, or a language other than English', async () => {
    const d = await decideByRules(
      context(
        'To receive a call back, press 1. To hear these options again, press 9. Para español, oprima el dos.',
        'talk to someone about my bill',
      ),
    );
    expect(d.action).toEqual({ kind: 'wait' });
  });

  it('falls back on the operator, then waits where the line says to stay on it', async () => {
    const operator = await decideByRules(
      context('For sales, press 1. For an operator, press 0.', 'ask about my pension'),
    );
    expect(operator.action).toEqual({ kind: 'press', digits: '0' });
    expect(operator.reason).toMatch(/likelier than any option/);
    expect(operator.confidence).toBeLessThan(DEFAULT_CONFIDENCE_THRESHOLD);
    const wait = await decideByRules(
      context(
        'To cancel, press 1. Or stay on the line for the next available team member.',
        'book a cleaning',
      ),
    );
    expect(wait.action).toEqual({ kind: 'wait' });
  });

  it('does not choose again what led back to the same menu, and goes back when all is tried', async () => {
    const menu =
      'Disputes. To dispute a card charge, press 1. To dispute a check, press 2. To go back, press star.';
    const tried: NavigatorAction[] = [{ kind: 'press', digits: '1' }];
    const second = await decideByRules(context(menu, 'dispute a card charge', { tried }));
    expect(second.action).toEqual({ kind: 'press', digits: '2' });
    const back = await decideByRules(
      context(menu, 'dispute a card charge', {
        tried: [...tried, { kind: 'press', digits: '2' }],
      }),
    );
    expect(back.action).toEqual({ kind: 'go-back', digits: '*' });
  });

  it('says the phrase that fits when the menu takes speech', async () => {
    const d = await decideByRules(
      context(
        "Briefly tell me why you're calling. You can say things like, billing, technical support, or upgrade my phone.",
        'my phone has no signal and I need technical support',
      ),
    );
    expect(d.action).toEqual({ kind: 'say', phrase: 'technical support' });
  });

  it('listens on when no question is asked', async () => {
    const d = await decideByRules(
      context('Thank you for calling Acme Bank. This call may be recorded.', 'anything'),
    );
    expect(d.action).toEqual({ kind: 'wait' });
    expect(d.confidence).toBeGreaterThanOrEqual(0.9);
  });
});

describe('the menu parser', () => {
  it('reads keys and labels either way round, with or without punctuation', () => {
    const labelFirst = parseMenu('for billing press 1 for technical support press 2');
    const keyFirst = parseMenu(
      'thank you for calling acme press 1 for billing press 2 for support',
    );
    for (const menu of [labelFirst, keyFirst])
      expect(menu.options.map((o) => [o.keys, o.label])).toEqual([
        ['1', 'billing'],
        ['2', expect.stringMatching(/support$/)],
      ]);
    const list = parseMenu('Please press 1 to pay your bill, 2 to report an outage, or 8 to exit.');
    expect(list.options.map((o) => o.keys)).toEqual(['1', '2', '8']);
  });

  it('reads spoken options, ways back, repeats and entries', () => {
    const menu = parseMenu(
      'To report an outage, say outage. For billing, say billing or press 2. Say representative to speak with someone. To go back, press star. To hear these options again, press 9.',
    );
    const by = (keys: string) => menu.options.find((o) => o.keys === keys);
    expect(by('outage')).toMatchObject({ by: 'speech', label: 'report an outage' });
    expect(by('2')).toMatchObject({ by: 'dtmf', label: 'billing' });
    expect(by('representative')).toMatchObject({ kind: 'operator', label: 'speak with someone' });
    expect(by('*')).toMatchObject({ kind: 'back' });
    expect(by('9')).toMatchObject({ kind: 'repeat' });
    const spokenList = parseMenu(
      'You can say Orders, Kindle or Alexa devices, or Account and Login. Or say Something Else.',
    );
    expect(spokenList.options.map((o) => [o.keys, o.kind])).toEqual([
      ['orders', 'choice'],
      ['kindle or alexa devices', 'choice'],
      ['account and login', 'choice'],
      ['something else', 'other'],
    ]);
    const keyOrWord = parseMenu(
      'You can press the number, or say the words. For your refund, press 1, or say refund. If you are calling on behalf of someone else, press 2. If you see a downed power line, call nine one one.',
    );
    expect(keyOrWord.options.map((o) => [o.keys, o.kind])).toEqual([
      ['1', 'choice'],
      ['2', 'choice'],
    ]);
    expect(parseMenu('Please enter your ten digit PG and E account number.').input?.what).toBe(
      'ten digit pg and e account number',
    );
    expect(parseMenu('Enter your account number and press pound.').input?.what).toBe(
      'account number',
    );
    // Options run together by a recogniser that heard no commas.
    const runOn = parseMenu(
      'ok you can say make a payment report a claim roadside assistance or change my policy you can also say something else',
    );
    expect(runOn.options.map((o) => o.keys)).toEqual([
      'make a payment',
      'report a claim',
      'roadside assistance',
      'change my policy',
      'something else',
    ]);
    expect(
      parseMenu(
        'please say one of the following track a package redelivery hold mail change of address passports or say something else',
      ).options.map((o) => o.keys),
    ).toEqual([
      'track a package',
      'redelivery',
      'hold mail',
      'change of address',
      'passports',
      'something else',
    ]);
    expect(parseMenu('Say billing or support.').options.map((o) => o.keys)).toEqual([
      'billing',
      'support',
    ]);
    // Unpunctuated, keys after their labels, ending on an option with no key of its own.
    expect(
      parseMenu(
        'please listen closely as our options have changed if you are calling about an online order press one for questions about your store card press two for returns press three for all other questions stay on the line',
      ).options.map((o) => [o.keys, o.label]),
    ).toEqual([
      ['1', 'you are calling about an online order'],
      ['2', 'questions about your store card'],
      ['3', 'returns'],
    ]);
    // Quoted phrases: the quotes are no part of them, and "for" inside one does not end the list.
    expect(
      parseMenu(
        "You can say 'Social Security card', 'apply for benefits', 'my payment', or 'report a death'. Or, say 'something else'. To hear these again, say 'repeat'.",
      ).options.map((o) => [o.keys, o.kind]),
    ).toEqual([
      ['social security card', 'choice'],
      ['apply for benefits', 'choice'],
      ['my payment', 'choice'],
      ['report a death', 'choice'],
      ['something else', 'other'],
      ['repeat', 'repeat'],
    ]);
    expect(
      parseMenu('Say agent to speak with someone, or say billing.').options.map((o) => [
        o.keys,
        o.label,
      ]),
    ).toEqual([
      ['agent', 'speak with someone'],
      ['billing', 'billing'],
    ]);
    expect(parseMenu('Please enter your claim number, then press pound.').input).toEqual({
      what: 'claim number',
      terminator: '#',
      extension: false,
    });
  });
});

/** What a scenario node says: its clips' captions, as a recogniser would hear them. */
async function spoken(clips: Clip[], sounds: SoundLibrary): Promise<string> {
  const parts: string[] = [];
  for (const clip of clips) {
    if ('say' in clip) parts.push(clip.say);
    else if ('sound' in clip) parts.push(clip.caption ?? (await sounds.caption(clip.sound)) ?? '');
    else if ('file' in clip) parts.push(clip.caption ?? '');
  }
  return parts.join(' ');
}

const folders = [
  path.resolve('scenarios'),
  ...(existsSync(path.resolve('../shared/scenarios')) ? [path.resolve('../shared/scenarios')] : []),
];

/**
 * Every menu on the way to each scenario's expected agent, read from the
 * scenario files: what the rules alone decide there must lead to a node
 * from which the agent can still be reached (a prompt is waited out).
 */
describe('the rule navigator on every scenario', () => {
  const sounds = new SoundLibrary(defaultSoundPaths());

  it('moves toward the expected agent at every menu and prompt on the shortest path', async () => {
    // The samples are in both folders: each folder is loaded on its own, as the carrier would.
    const scenarios: Scenario[] = [];
    for (const folder of folders)
      scenarios.push(...(await loadScenarios([folder])).map((l) => l.scenario));
    expect(scenarios.length).toBeGreaterThanOrEqual(24);
    const wrong: string[] = [];
    let checked = 0;
    for (const scenario of scenarios) {
      const goal = scenario.task.expect;
      if (!goal) continue;
      const towardGoal = nodesReaching(scenario, goal);
      for (const { from } of shortestPath(scenario, goal) ?? []) {
        const node = scenario.nodes[from]!;
        if (!('play' in node) || !node.play) continue;
        const heard = await spoken(node.play, sounds);
        const { action } = await decideByRules(
          context(heard, scenario.task.intent, { secretNames: Object.keys(scenario.task.secrets) }),
        );
        checked += 1;
        const next = leadsTo(scenario, from, action);
        if (next === undefined || !towardGoal.has(next))
          wrong.push(
            `${scenario.id} at ${from} ("${heard}"): ${JSON.stringify(action)} leads to ${next ?? 'nowhere'}`,
          );
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(40);
  });
});

/** Nodes from which `goal` can be reached. */
function nodesReaching(scenario: Scenario, goal: string): Set<string> {
  const reaching = new Set([goal]);
  for (let grew = true; grew;) {
    grew = false;
    for (const id of Object.keys(scenario.nodes)) {
      if (reaching.has(id)) continue;
      if (successors(scenario, id).some((n) => reaching.has(n))) {
        reaching.add(id);
        grew = true;
      }
    }
  }
  return reaching;
}

function successors(scenario: Scenario, id: string): string[] {
  const node = scenario.nodes[id]!;
  switch (node.type) {
    case 'prompt':
    case 'input':
      return [node.next, ...(node.type === 'input' && node.onInvalid ? [node.onInvalid] : [])];
    case 'menu':
      return [
        ...Object.values(node.options),
        ...Object.values(node.speech ?? {}),
        ...(node.onTimeout ? [node.onTimeout] : []),
        ...(node.onExhausted ? [node.onExhausted] : []),
      ];
    case 'queue':
      return [node.agent, ...(node.callback ? [node.callback.next] : [])];
    default:
      return [];
  }
}

/** The node an action at `from` leads to, as the carrier would play it; undefined when it goes nowhere. */
function leadsTo(scenario: Scenario, from: string, action: NavigatorAction): string | undefined {
  const node = scenario.nodes[from]!;
  const secrets = scenario.task.secrets;
  switch (node.type) {
    case 'prompt':
      return action.kind === 'wait' ? node.next : undefined;
    case 'menu':
      if (action.kind === 'press' || action.kind === 'go-back') return node.options[action.digits];
      if (action.kind === 'say') return matchPhrase(action.phrase, node.speech ?? {});
      if (action.kind === 'key-secret') return node.options[secrets[action.name] ?? ''];
      return node.onTimeout;
    case 'input': {
      if (action.kind !== 'key-secret') return undefined;
      const value = secrets[action.name] ?? '';
      const { min, max, terminator } = node.digits;
      const accepted =
        value.length >= min &&
        value.length <= max &&
        // Without the terminator the entry still ends, after the inter-digit pause.
        (action.terminator === '' || action.terminator === terminator) &&
        (node.expect === undefined ||
          (node.expect.startsWith('secret:')
            ? secrets[node.expect.slice('secret:'.length)] === value
            : new RegExp(`^(?:${node.expect})$`).test(value)));
      return accepted ? node.next : undefined;
    }
    default:
      return undefined;
  }
}
