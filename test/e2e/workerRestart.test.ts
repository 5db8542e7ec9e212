import { readFileSync } from 'node:fs';
import type { FlowDefinitionInput } from '../../flows/model.js';
import { CallStack } from '../support/callStack.js';
import { describeWith } from '../support/services.js';

const example = JSON.parse(
  readFileSync(new URL('../../flows/examples/acme-bank-disputes.json', import.meta.url), 'utf8'),
) as FlowDefinitionInput;

describeWith(['postgres', 'temporal', 'sounds'], 'a call whose worker dies on hold', () => {
  // A short heartbeat timeout: the hold is noticed as orphaned within seconds.
  const stack = new CallStack({ holdHeartbeatTimeoutS: 3 });

  beforeAll(() => stack.start(), 180_000);
  afterAll(() => stack.stop(), 60_000);

  it('goes on with a new worker: the carrier keeps the call and the hold resumes', async () => {
    const flow = await stack.request<{ id: string }>('POST', '/api/call-flows', {
      ...example,
      tags: ['restart'],
    });
    const placed = await stack.request<{ id: string }>('POST', '/api/calls', {
      phone_number: '+18005550100',
      company: 'Acme Bank',
      intent: 'dispute a charge on my credit card',
      user_device: 'sim:restart-user',
      flow: { id: flow.body.id },
      secrets: { account: '4417123456' },
    });
    expect(placed.status).toBe(201);
    const id = placed.body.id;

    await stack.watch(id, (v) => v.phase === 'holding' && v.hold_seconds >= 3);
    const first = stack.workerProcesses[0]!;
    const died = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await died;

    // Nobody is listening now; the carrier's queue plays on.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await stack.request<{ live: boolean }>('GET', `/api/calls/${id}`)).body.live).toBe(
      false,
    );
    await stack.startWorker();

    const views = await stack.watch(id, (v) => v.outcome !== null, 150_000);
    expect(views.at(-1)).toMatchObject({ outcome: 'connected' });
    // The hold time counts the minutes without a worker too.
    expect(views.at(-1)!.hold_seconds).toBeGreaterThanOrEqual(30);

    const { lines, summary } = await stack.truth(id);
    // One call, dialled once, keyed once: the new worker did not start over.
    expect(lines.filter((l) => l.ev === 'node' && l.id === 'queue_disputes')).toHaveLength(1);
    expect(summary.digits).toEqual(['3', '1', '4417123456#']);
    expect(summary.agentStartMs).not.toBeNull();
    expect(summary.transferMs!).toBeGreaterThan(summary.agentStartMs!);
    expect(summary.bridgedTo).toBe('sim:restart-user');
  }, 240_000);
});
