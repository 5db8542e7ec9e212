import { stepsSchema, type FlowStep } from '../../flows/model.js';
import { renderCurrentDetails } from '../../workflows/currentDetails.js';
import type { CallStatus } from '../../workflows/definitions.js';
import { branchFor, holdOnlyPlan, transferDevice } from '../../workflows/stepInterpreter.js';

const listen = stepsSchema.parse([
  {
    id: 'menu',
    type: 'LISTEN',
    conditions: [
      { pattern: 'dispute', next_step: 'press-3' },
      { pattern: 'press (\\d) for billing', next_step: 'press-2' },
    ],
    next_step: 'press-3',
  },
  { id: 'press-3', type: 'DTMF', dtmf: '3' },
  { id: 'press-2', type: 'DTMF', dtmf: '2' },
])[0]!;

describe('step interpreter', () => {
  it('branches on the first condition whose pattern matches, ignoring case', () => {
    expect(branchFor(listen, 'For billing press 2. To DISPUTE a charge press 3.')).toBe('press-3');
    expect(branchFor(listen, 'Press 2 for billing.')).toBe('press-2');
    expect(branchFor(listen, 'Welcome to Acme Bank.')).toBeUndefined();
  });

  it('plans a hold and a transfer when there is no flow, and the plan is a valid flow', () => {
    const plan = holdOnlyPlan(600);
    expect(stepsSchema.parse(plan).map((s) => s.type)).toEqual(['HOLD', 'TRANSFER']);
    expect(plan[0]!.timeout).toBe(600);
  });

  it("rings the step's own device, else the user's", () => {
    const transfer = (metadata: Record<string, unknown>): FlowStep => ({
      id: 't',
      type: 'TRANSFER',
      description: '',
      timeout: 10,
      next_step: null,
      conditions: [],
      metadata,
    });
    expect(transferDevice(transfer({ device: 'sip:desk@example.com' }), 'sim:me')).toBe(
      'sip:desk@example.com',
    );
    expect(transferDevice(transfer({}), 'sim:me')).toBe('sim:me');
    expect(transferDevice(undefined, 'sim:me')).toBe('sim:me');
  });
});

describe('current details', () => {
  const status: CallStatus = {
    callId: 'call-1',
    company: 'Acme Bank',
    phoneNumber: '+18005550100',
    phase: 'holding',
    flow: { id: 'flow_1', version: 3 },
    step: { id: 'disputes-queue', type: 'HOLD', description: 'disputes queue' },
    holdStartedAt: '2026-01-01T10:00:00.000Z',
    holdSeconds: 42,
    earlierHoldSeconds: 0,
    lastTranscript: 'Your call is important to us.',
    outcome: null,
    reason: null,
    decisions: { rules: 2, model: 0 },
    dials: 1,
    deadEnds: 0,
    startedAt: '2026-01-01T09:59:00.000Z',
    endedAt: null,
  };

  it('says where a call is, for the Temporal UI', () => {
    const text = renderCurrentDetails(status);
    expect(text).toContain('**Acme Bank** (+18005550100): **holding**');
    expect(text).toContain('Step `disputes-queue` HOLD: disputes queue');
    expect(text).toContain('On hold since 2026-01-01T10:00:00.000Z');
    expect(text).toContain('Last heard: "Your call is important to us."');
    expect(text).toContain('Flow flow_1 v3');
    expect(text).not.toContain('Dial');
  });

  it('says which dial a call is on after a dead end', () => {
    const text = renderCurrentDetails({ ...status, flow: null, dials: 2, deadEnds: 1 });
    expect(text).toContain('Dial 2 of 3: 1 dead end met and avoided');
  });

  it('gives the outcome and the time held once the call is over', () => {
    const text = renderCurrentDetails({
      ...status,
      phase: 'ended',
      outcome: 'hold-timeout',
      reason: 'no person answered',
    });
    expect(text).toContain('Held 42 s');
    expect(text).toContain('Outcome: **hold-timeout** (no person answered)');
  });
});
