import { readFileSync } from 'node:fs';
import { flowDefinitionSchema, type FlowDefinitionInput } from '../../flows/model.js';
import { ValidationError, parseWith } from '../../validation/issues.js';

const acme = JSON.parse(
  readFileSync(new URL('../../flows/examples/acme-bank-disputes.json', import.meta.url), 'utf8'),
) as FlowDefinitionInput;

function issuesFor(input: unknown): { path: string; message: string }[] {
  try {
    parseWith(flowDefinitionSchema, input, 'call flow');
  } catch (e) {
    if (e instanceof ValidationError) return e.issues;
    throw e;
  }
  return [];
}

describe('call flow validation', () => {
  it('accepts the Acme Bank example and fills in defaults', () => {
    const flow = parseWith(flowDefinitionSchema, acme, 'call flow');
    expect(flow.steps.map((s) => s.type)).toEqual([
      'LISTEN',
      'LISTEN',
      'LISTEN',
      'HOLD',
      'TRANSFER',
    ]);
    const transfer = flow.steps[4]!;
    expect(transfer.timeout).toBe(10);
    expect(transfer.next_step).toBeNull();
    expect(transfer.conditions).toEqual([]);
  });

  it('gives a HOLD without a timeout two hours', () => {
    const flow = parseWith(
      flowDefinitionSchema,
      { ...acme, steps: [{ id: 'hold', type: 'HOLD' }] },
      'call flow',
    );
    expect(flow.steps[0]!.timeout).toBe(7200);
  });

  it('refuses a next_step that names no step, naming the step', () => {
    const steps = structuredClone(acme.steps);
    steps[1]!.next_step = 'acount-number';
    const issues = issuesFor({ ...acme, steps });
    expect(issues).toEqual([
      {
        path: 'steps[1].next_step',
        message:
          'step "disputes-menu" names next_step "acount-number", which is not a step of this flow',
      },
    ]);
  });

  it('refuses a DTMF step with no digits, naming the step', () => {
    const issues = issuesFor({ ...acme, steps: [{ id: 'press-three', type: 'DTMF' }] });
    expect(issues).toEqual([
      { path: 'steps[0].dtmf', message: 'DTMF step "press-three" has no digits' },
    ]);
  });

  it('refuses keys that are not DTMF, and pauses without digits', () => {
    expect(
      issuesFor({ ...acme, steps: [{ id: 'a', type: 'DTMF', dtmf: '12x' }] })[0]!.message,
    ).toMatch(/"x" at position 2 is not a DTMF key/);
    expect(
      issuesFor({ ...acme, steps: [{ id: 'a', type: 'DTMF', dtmf: 'ww' }] })[0]!.message,
    ).toMatch(/only pauses/);
  });

  it('refuses duplicate ids, bad patterns and conditions that lead nowhere', () => {
    const issues = issuesFor({
      ...acme,
      steps: [
        {
          id: 'menu',
          type: 'LISTEN',
          conditions: [{ pattern: 'billing(', next_step: 'menu' }],
          next_step: 'menu',
        },
        { id: 'menu', type: 'LISTEN', conditions: [{ pattern: 'billing', next_step: 'nowhere' }] },
      ],
    });
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'steps[0].conditions[0].pattern',
        'steps[1].id',
        'steps[1].conditions[0].next_step',
      ]),
    );
    expect(issues.find((i) => i.path === 'steps[1].id')!.message).toBe(
      'step id "menu" is used twice (also at steps[0])',
    );
  });

  it('refuses unknown keys with their path', () => {
    const issues = issuesFor({ ...acme, steps: [{ id: 'a', type: 'WAIT', sleep: 3 }] });
    expect(issues).toEqual([{ path: 'steps[0]', message: 'unknown key "sleep"' }]);
  });

  it('needs text or audio on a SPEAK step, and a valid number', () => {
    expect(issuesFor({ ...acme, steps: [{ id: 's', type: 'SPEAK' }] })[0]!.message).toBe(
      'SPEAK step "s" needs metadata.text or metadata.audio',
    );
    expect(issuesFor({ ...acme, phone_number: '555-0100' })[0]!.path).toBe('phone_number');
  });
});
