import { readFileSync } from 'node:fs';
import type { FlowDefinitionInput } from '../../flows/model.js';
import { ApiUnderTest } from '../support/apiUnderTest.js';
import { describeWith } from '../support/services.js';

const example = JSON.parse(
  readFileSync(new URL('../../flows/examples/acme-bank-disputes.json', import.meta.url), 'utf8'),
) as FlowDefinitionInput;

interface Flow {
  id: string;
  version: number;
  description: string;
  steps: Array<{ id: string; timeout?: number }>;
}
interface Version {
  version: number;
  source: string;
  steps: number;
  success_count: number;
  failure_count: number;
}

describeWith(['postgres', 'temporal'], 'API: a flow through its versions', () => {
  const api = new ApiUnderTest();
  const number = `+1668${String(Date.now()).slice(-7)}`;
  const definition = { ...example, phone_number: number, company: 'Versioned Bank' };
  let id: string;

  beforeAll(async () => {
    await api.start();
    const created = await api.send<Flow>('POST', '/api/call-flows', definition);
    expect(created.status).toBe(201);
    id = created.body.id;
  });
  afterAll(() => api.stop());

  it('makes each update a new version and keeps the old ones as they were', async () => {
    const steps = structuredClone(definition.steps);
    steps[0]!.timeout = 25;
    const updated = await api.send<Flow>('PUT', `/api/call-flows/${id}`, {
      ...definition,
      description: 'the menu is slower now',
      steps,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, version: 2, description: 'the menu is slower now' });
    const latest = await api.send<Flow>('GET', `/api/call-flows/${id}`);
    expect(latest.body.version).toBe(2);
    expect(latest.body.steps[0]!.timeout).toBe(25);
    const first = await api.send<Flow>('GET', `/api/call-flows/${id}/versions/1`);
    expect(first.body.version).toBe(1);
    expect(first.body.steps[0]!.timeout).toBe(example.steps[0]!.timeout);
    const versions = await api.send<Version[]>('GET', `/api/call-flows/${id}/versions`);
    expect(versions.body).toEqual([
      expect.objectContaining({
        version: 2,
        source: 'api',
        steps: 5,
        success_count: 0,
        failure_count: 0,
      }),
      expect.objectContaining({ version: 1, source: 'api', steps: 5 }),
    ]);
  });

  it('refuses an update that does not validate, and keeps the latest version', async () => {
    const steps = structuredClone(definition.steps);
    steps.push({ id: 'orphan', type: 'WAIT', timeout: 2 });
    const refused = await api.send('PUT', `/api/call-flows/${id}`, { ...definition, steps });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([
      {
        path: 'steps[5]',
        message:
          'step "orphan" is never reached: no step leads to it from the first step "main-menu"',
      },
    ]);
    expect((await api.send<Flow>('GET', `/api/call-flows/${id}`)).body.version).toBe(2);
  });

  it('answers 404 for a version or a flow it does not have, 400 for a version that is no number', async () => {
    expect((await api.send('GET', `/api/call-flows/${id}/versions/3`)).status).toBe(404);
    const bad = await api.send('GET', `/api/call-flows/${id}/versions/latest`);
    expect(bad.status).toBe(400);
    expect(bad.body.details[0]!.message).toBe('a version is a whole number from 1');
    expect((await api.send('PUT', '/api/call-flows/flow_nope', definition)).status).toBe(404);
    expect((await api.send('GET', '/api/call-flows/flow_nope/versions')).status).toBe(404);
  });

  it('validates a whole flow without storing it, naming each step at fault', async () => {
    const good = await api.send<{ valid: boolean; issues: unknown[] }>(
      'POST',
      '/api/call-flows/validate',
      definition,
    );
    expect(good.body).toEqual({ valid: true, issues: [] });
    const loop = {
      ...definition,
      phone_number: '+15550001111',
      steps: [
        { id: 'press', type: 'DTMF', dtmf: '1', next_step: 'pause' },
        { id: 'pause', type: 'WAIT', timeout: 1, next_step: 'press' },
      ],
    };
    const bad = await api.send<{ valid: boolean; issues: { path: string; message: string }[] }>(
      'POST',
      '/api/call-flows/validate',
      loop,
    );
    expect(bad.status).toBe(200);
    expect(bad.body.valid).toBe(false);
    expect(bad.body.issues).toEqual([
      {
        path: 'steps[1].next_step',
        message:
          'steps "press" → "pause" → "press" form a loop with no LISTEN or HOLD step in it: the call would repeat them without ever hearing the line',
      },
    ]);
    const badDigits = await api.send<{ issues: { path: string; message: string }[] }>(
      'POST',
      '/api/call-flows/validate',
      {
        ...definition,
        steps: [{ id: 'press', type: 'DTMF', dtmf: '1x' }],
      },
    );
    expect(badDigits.body.issues[0]!.path).toBe('steps[0].dtmf');
    const premium = await api.send<{ valid: boolean; issues: { path: string; message: string }[] }>(
      'POST',
      '/api/call-flows/validate',
      { ...definition, phone_number: '+19005550100' },
    );
    expect(premium.body.valid).toBe(false);
    expect(premium.body.issues).toEqual([
      { path: 'phone_number', message: expect.stringContaining('premium-rate range (+1900') },
    ]);
    const listed = await api.send<unknown[]>('GET', '/api/call-flows?phone_number=%2B15550001111');
    expect(listed.body).toEqual([]);
  });

  it('deletes a flow: gone from the list and from new calls, its versions kept for calls that followed them', async () => {
    const call = {
      phone_number: number,
      company: 'Versioned Bank',
      intent: 'dispute a charge',
      user_device: 'sim:tester',
      secrets: { account: '1234' },
    };
    const before = await api.send<{ id: string; flow: { id: string; version: number } }>(
      'POST',
      '/api/calls',
      call,
    );
    expect(before.body.flow).toEqual({ id, version: 2 });
    expect((await api.send('DELETE', `/api/call-flows/${id}`)).status).toBe(204);
    expect((await api.send('GET', `/api/call-flows/${id}`)).status).toBe(404);
    expect((await api.send('DELETE', `/api/call-flows/${id}`)).status).toBe(404);
    const listed = await api.send<{ id: string }[]>(
      'GET',
      `/api/call-flows?phone_number=${encodeURIComponent(number)}`,
    );
    expect(listed.body).toEqual([]);
    const after = await api.send<{ id: string; flow: unknown }>('POST', '/api/calls', call);
    expect(after.body.flow).toBeNull();
    // The call placed before still names the version it followed.
    const earlier = await api.send<{ flow: unknown }>('GET', `/api/calls/${before.body.id}`);
    expect(earlier.body.flow).toEqual({ id, version: 2 });
    for (const placed of [before.body.id, after.body.id])
      await api.send('POST', `/api/calls/${placed}/cancel`, { reason: 'test over' });
  });
});
