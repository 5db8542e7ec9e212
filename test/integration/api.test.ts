import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import type { FlowDefinitionInput } from '../../flows/model.js';
import { syntheticCalls } from '../../bench/syntheticCalls.js';
import { PostgresEventStore } from '../../events/postgresEventStore.js';
import { createPool } from '../../store/pool.js';
import { ApiUnderTest, type ErrorBody } from '../support/apiUnderTest.js';
import { describeWith, required, testServices } from '../support/services.js';

const example = JSON.parse(
  readFileSync(new URL('../../flows/examples/acme-bank-disputes.json', import.meta.url), 'utf8'),
) as FlowDefinitionInput;

describeWith(['postgres', 'temporal'], 'REST API', () => {
  const api = new ApiUnderTest();
  const number = `+1666${String(Date.now()).slice(-7)}`;

  beforeAll(() => api.start());
  afterAll(() => api.stop());

  const send = <T = ErrorBody>(method: string, route: string, body?: unknown) =>
    api.send<T>(method, route, body);

  describe('call flows', () => {
    it('creates a flow and lists it by company, tag and number', async () => {
      const created = await send<{ id: string; version: number }>('POST', '/api/call-flows', {
        ...example,
        phone_number: number,
        company: 'API Test Bank',
        tags: ['api-test'],
      });
      expect(created.status).toBe(201);
      expect(created.body.version).toBe(1);
      const byCompany = await send<{ id: string }[]>(
        'GET',
        '/api/call-flows?company=api%20test%20bank',
      );
      expect(byCompany.body.map((f) => f.id)).toContain(created.body.id);
      const byTag = await send<{ id: string }[]>(
        'GET',
        `/api/call-flows?tag=api-test&phone_number=${encodeURIComponent(number)}`,
      );
      expect(byTag.body.map((f) => f.id)).toEqual([created.body.id]);
      const one = await send<{ steps: unknown[] }>(
        'GET',
        `/api/call-flows/${created.body.id}?version=1`,
      );
      expect(one.body.steps).toHaveLength(5);
      expect((await send('GET', `/api/call-flows/${created.body.id}?version=9`)).status).toBe(404);
    });

    it('refuses a step whose next_step names no step, naming the step', async () => {
      const steps = structuredClone(example.steps);
      steps[3]!.next_step = 'bring-usr-in';
      const response = await send('POST', '/api/call-flows', { ...example, steps });
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([
        {
          path: 'steps[3].next_step',
          message:
            'step "disputes-queue" names next_step "bring-usr-in", which is not a step of this flow',
        },
      ]);
    });

    it('refuses a DTMF step with no digits, naming the step', async () => {
      const steps = [{ id: 'press-for-disputes', type: 'DTMF', next_step: null }];
      const response = await send('POST', '/api/call-flows', { ...example, steps });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/^call flow is invalid/);
      expect(response.body.details).toEqual([
        { path: 'steps[0].dtmf', message: 'DTMF step "press-for-disputes" has no digits' },
      ]);
    });

    it('answers a body that is not JSON with 400', async () => {
      const response = await send('POST', '/api/call-flows', '{"name": ');
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/not valid JSON/);
    });
  });

  describe('learning again from stored calls', () => {
    const learnNumber = `+1667${String(Date.now()).slice(-7)}`;
    let callIds: string[] = [];

    beforeAll(async () => {
      // Two explored calls to one number, as their activities would have recorded them.
      const pool = createPool(required(testServices().databaseUrl, 'PostgreSQL'));
      const store = new PostgresEventStore(
        pool,
        required(testServices().databaseUrl, 'PostgreSQL'),
      );
      // The first and third made-up calls are on the disputes errand (the second pays a bill).
      const calls = syntheticCalls(3, 1, `api-${Date.now()}`)
        .filter((_, i) => i !== 1)
        .map((c) => ({
          ...c,
          events: c.events.map((e) =>
            e.type === 'call.started'
              ? {
                  ...e,
                  data: {
                    ...(e.data as object),
                    phoneNumber: learnNumber,
                    intent: 'dispute a card charge',
                  },
                }
              : e,
          ),
        }));
      for (const c of calls) {
        await store.append(c.stream, c.events, 'no_stream');
        await pool.query(
          `INSERT INTO calls (id, phone_number, company, intent, user_device, status) VALUES ($1, $2, 'Company 0', 'dispute a card charge', 'sim:x', 'ended')`,
          [c.stream, learnNumber],
        );
      }
      callIds = calls.map((c) => c.stream);
      await store.close();
      await pool.end();
    });

    it("shows in a dry run what a number's calls would teach, and writes nothing", async () => {
      const dry = await send<{
        dry_run: boolean;
        flows: Array<{
          changed: boolean;
          calls: number;
          to_version: number | null;
          diff: string[];
        }>;
      }>('POST', '/api/call-flows/learn', { phone_number: learnNumber, dry_run: true });
      expect(dry.status).toBe(200);
      expect(dry.body.dry_run).toBe(true);
      expect(dry.body.flows).toMatchObject([{ changed: true, calls: 2, to_version: null }]);
      expect(dry.body.flows[0]!.diff).toContain(
        '+ l1 LISTEN, dtmf 2, hearing "Welcome to Company 0. For billing, press 1. For disputes, press 2. ..."',
      );
      const listed = await send<unknown[]>(
        'GET',
        `/api/call-flows?phone_number=${encodeURIComponent(learnNumber)}`,
      );
      expect(listed.body).toEqual([]);
    });

    it('learns a flow from one call, as a new version, that a call to the number then follows', async () => {
      const learned = await send<{ flows: Array<{ flow_id: string; to_version: number }> }>(
        'POST',
        '/api/call-flows/learn',
        { call_id: callIds[0] },
      );
      expect(learned.status).toBe(200);
      const { flow_id, to_version } = learned.body.flows[0]!;
      expect(to_version).toBe(1);
      const flow = await send<{ tags: string[]; steps: Array<{ dtmf?: string }> }>(
        'GET',
        `/api/call-flows/${flow_id}`,
      );
      expect(flow.body.tags).toEqual(['learned']);
      expect(flow.body.steps.map((s) => s.dtmf).filter(Boolean)).toEqual([
        '2',
        '{secret:account}#',
      ]);
      const started = await send<{ id: string; flow: { id: string; version: number } }>(
        'POST',
        '/api/calls',
        {
          phone_number: learnNumber,
          company: 'Company 0',
          intent: 'disputing card charges',
          user_device: 'sim:tester',
          secrets: { account: '12345678' },
        },
      );
      expect(started.body.flow).toEqual({ id: flow_id, version: 1 });
      await send('POST', `/api/calls/${started.body.id}/cancel`, {});
      // Another errand at the same number does not follow the disputes path: it explores.
      const other = await send<{ flow: unknown }>('POST', '/api/calls', {
        phone_number: learnNumber,
        company: 'Company 0',
        intent: 'pay my bill',
        user_device: 'sim:tester',
      });
      expect(other.body.flow).toBeNull();
    });

    it('refuses a request that names no calls, or calls that taught nothing', async () => {
      const none = await send('POST', '/api/call-flows/learn', { dry_run: true });
      expect(none.status).toBe(400);
      expect(none.body.details[0]!.message).toBe(
        'name exactly one of call_id, phone_number or all: true',
      );
      const unknown = await send('POST', '/api/call-flows/learn', { call_id: 'call-nobody' });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error).toBe('no events are stored for call call-nobody');
    });
  });

  describe('calls', () => {
    let flowId: string;
    beforeAll(async () => {
      flowId = (
        await send<{ id: string }>('POST', '/api/call-flows', { ...example, phone_number: number })
      ).body.id;
    });

    const call = (extra: Record<string, unknown> = {}) => ({
      phone_number: number,
      company: 'API Test Bank',
      intent: 'dispute a charge',
      user_device: 'sim:tester',
      ...extra,
    });

    it('names every bad field of a call request', async () => {
      const response = await send('POST', '/api/calls', {
        phone_number: '555',
        user_device: 'my phone',
        extra: 1,
      });
      expect(response.status).toBe(400);
      const paths = response.body.details.map((d) => d.path);
      expect(paths).toEqual(
        expect.arrayContaining(['phone_number', 'company', 'intent', 'user_device', '']),
      );
    });

    it('refuses a flow that keys a secret the call does not give', async () => {
      const response = await send('POST', '/api/calls', call({ flow: { id: flowId } }));
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([
        {
          path: 'secrets.account',
          message: `step "account-number" of flow ${flowId} keys {secret:account}, but no secret "account" was given`,
        },
      ]);
    });

    it('refuses a flow that does not exist or is for another number', async () => {
      const missing = await send('POST', '/api/calls', call({ flow: { id: flowId, version: 7 } }));
      expect(missing.status).toBe(400);
      expect(missing.body.details[0]!.message).toBe(`call flow ${flowId} has no version 7`);
      const other = await send(
        'POST',
        '/api/calls',
        call({ phone_number: '+18005550100', flow: { id: flowId } }),
      );
      expect(other.body.details[0]!.message).toMatch(/is for \+1666\d+, not \+18005550100/);
    });

    it("starts a call with the number's latest flow, reports it, and takes a cancel", async () => {
      const started = await send<{ id: string; flow: { id: string; version: number } }>(
        'POST',
        '/api/calls',
        call({ secrets: { account: '4417123456' } }),
      );
      expect(started.status).toBe(201);
      expect(started.body.flow).toEqual({ id: flowId, version: 1 });
      const status = await send<{ phase: string; live: boolean; outcome: null }>(
        'GET',
        `/api/calls/${started.body.id}`,
      );
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({ phase: 'dialing', live: false, outcome: null });
      expect(
        (await send('POST', `/api/calls/${started.body.id}/cancel`, { reason: 'test' })).status,
      ).toBe(202);
      const connection = await Connection.connect({
        address: required(testServices().temporalAddress, 'Temporal'),
      });
      await new Client({ connection }).workflow.getHandle(started.body.id).terminate('test over');
      await connection.close();
    }, 30_000);

    it('answers 404 for a call it does not know', async () => {
      expect((await send('GET', '/api/calls/call-nope')).status).toBe(404);
      expect((await send('POST', '/api/calls/call-nope/connect')).status).toBe(404);
      expect((await send('GET', '/api/nothing')).status).toBe(404);
    });
  });
});
