import { Client, Connection } from '@temporalio/client';
import type { FlowDefinitionInput } from '../../flows/model.js';
import { recordHistories } from '../support/history.js';
import { CallStack, type CallView } from '../support/callStack.js';
import { describeWith, required, testServices } from '../support/services.js';

const ACCOUNT = '4417123456';

/** A flow that only listens at the main menu: the keys that walk on are pressed by hand. */
const listenOnly: FlowDefinitionInput = {
  name: 'Acme Bank: by hand',
  company: 'Acme Bank',
  phone_number: '+18005550100',
  steps: [
    {
      id: 'main-menu',
      type: 'LISTEN',
      description: 'hear the menus',
      timeout: 120,
      next_step: 'queue',
    },
    { id: 'queue', type: 'HOLD', timeout: 300, next_step: 'user' },
    { id: 'user', type: 'TRANSFER' },
  ],
};

interface ByHand {
  sent: boolean | null;
  reason: string | null;
}
interface ErrorBody {
  error: string;
  code: string;
}
interface EventView {
  type: string;
  data: Record<string, unknown>;
}

describeWith(['postgres', 'temporal', 'sounds'], 'steering a live call by hand', () => {
  const stack = new CallStack();
  let id: string;

  beforeAll(async () => {
    await stack.start();
    const flow = await stack.request<{ id: string }>('POST', '/api/call-flows', listenOnly);
    expect(flow.status).toBe(201);
    const placed = await stack.request<{ id: string }>('POST', '/api/calls', {
      phone_number: '+18005550100',
      company: 'Acme Bank',
      intent: 'dispute a charge on my credit card',
      user_device: 'sim:by-hand-user',
      flow: { id: flow.body.id },
      secrets: { account: ACCOUNT },
    });
    expect(placed.status).toBe(201);
    id = placed.body.id;
  }, 180_000);
  afterAll(() => stack.stop());

  /** Waits until the carrier's record of the call shows it at `node`. */
  async function reached(node: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { summary } = await stack.truth(id);
      if (summary.reached === node) return;
      if (Date.now() > deadline)
        throw new Error(`the call never reached ${node}; it is at ${summary.reached}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const press = (digits: string) =>
    stack.request<ByHand & ErrorBody>('POST', `/api/calls/${id}/digits`, { digits });

  it('lists the call in progress with the step it is on', async () => {
    await stack.watch(id, (v) => v.phase === 'navigating' && v.step?.id === 'main-menu', 60_000);
    const listed = await stack.request<{ calls: CallView[] }>(
      'GET',
      '/api/calls?status=started&company=Acme%20Bank',
    );
    const mine = listed.body.calls.find((c) => c.id === id);
    expect(mine).toMatchObject({
      phase: 'navigating',
      step: { id: 'main-menu', type: 'LISTEN' },
      live: true,
    });
    // Reads at once share one query of the workflow, and each gets the whole answer.
    const reads = await Promise.all(
      Array.from({ length: 20 }, () => stack.request<CallView>('GET', `/api/calls/${id}`)),
    );
    for (const read of reads)
      expect(read.body).toMatchObject({
        id,
        phase: 'navigating',
        step: { id: 'main-menu' },
        live: true,
      });
  }, 90_000);

  it('refuses keys naming a secret the call was not given, and says which', async () => {
    const refused = await press('{secret:pin}#');
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('no secret "pin" was given with the call');
  });

  it('walks the menus with keys pressed by hand, a secret by its name, and words said by hand', async () => {
    // Each key is pressed once the carrier plays the menu it answers, as a person listening would.
    for (const [node, digits] of [
      ['main', '3'],
      ['disputes', '1'],
      ['account', '{secret:account}#'],
    ] as const) {
      await reached(node);
      const sent = await press(digits);
      expect([digits, sent.status, sent.body.sent]).toEqual([digits, 200, true]);
    }
    await reached('queue_disputes');
    const said = await stack.request<ByHand>('POST', `/api/calls/${id}/say`, {
      text: 'I will hold for a specialist.',
    });
    expect([said.status, said.body.sent]).toEqual([200, true]);
    const { summary } = await stack.truth(id);
    // The carrier heard them: the call is in the disputes queue, the account number keyed in full.
    expect(summary.digits.join('')).toBe(`31${ACCOUNT}#`);
    expect(summary.reached).toBe('queue_disputes');
    const events = await stack.request<EventView[]>('GET', `/api/calls/${id}/events`);
    const sent = events.body.filter((e) => e.type === 'call.digits_sent').map((e) => e.data.dtmf);
    expect(sent).toEqual(['3', '1', '{secret:account}#']);
    expect(
      events.body.some(
        (e) => e.type === 'call.speech_sent' && e.data.text === 'I will hold for a specialist.',
      ),
    ).toBe(true);
    expect(JSON.stringify(events.body)).not.toContain(ACCOUNT);
  }, 90_000);

  it('refuses keys once the call has ended', async () => {
    expect(
      (await stack.request('POST', `/api/calls/${id}/cancel`, { reason: 'test over' })).status,
    ).toBe(202);
    await stack.watch(id, (v) => v.phase === 'ended', 60_000);
    const late = await press('0');
    expect(late.status).toBe(409);
    expect(late.body.error).toMatch(/has already ended \(cancelled\)/);
    // Its history, updates and all, is kept for the replay tests when asked.
    const connection = await Connection.connect({
      address: required(testServices().temporalAddress, 'Temporal'),
    });
    await new Client({ connection }).workflow.getHandle(id).result();
    await recordHistories(new Client({ connection }), { 'by-hand': { id } });
    await connection.close();
  }, 90_000);
});
