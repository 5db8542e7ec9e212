import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createPool } from '../../store/pool.js';
import { lineIdFor } from '../../workflows/lineIds.js';
import { CallStack, type CallView } from '../support/callStack.js';
import { recordHistories } from '../support/history.js';
import { describeWith, required, testServices } from '../support/services.js';

const NUMBER = '+16175550188';
const INTENT = 'a question about refilling my prescription';
const errand = (extra: Record<string, unknown> = {}) => ({
  phone_number: NUMBER,
  company: 'Northside Pharmacy',
  intent: INTENT,
  user_device: 'sim:user-dead-ends',
  ...extra,
});

/**
 * A menu whose first fitting option ("to refill a prescription") hangs up
 * with a recorded message: the call must notice the dead end, dial again
 * and take the other way, and no later call to the number may try it.
 */
describeWith(['postgres', 'temporal', 'sounds'], 'a dead end is not the end', () => {
  const stack = new CallStack({ scenarios: [path.resolve('test/fixtures/dead-ends')] });
  const pool = () => createPool(required(testServices().databaseUrl, 'PostgreSQL'));

  async function call(body: Record<string, unknown>) {
    const placed = await stack.request<{ id: string }>('POST', '/api/calls', body);
    expect(placed.status).toBe(201);
    const views = await stack.watch(placed.body.id, (v) => v.phase === 'ended', 240_000);
    return { id: placed.body.id, views };
  }

  async function until<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  let first: { id: string; views: CallView[] };

  beforeAll(async () => {
    await stack.start();
    first = await call(errand({ flow: null }));
  }, 300_000);

  afterAll(() => stack.stop());

  it('records the dead end, dials again and reaches the person the other way', async () => {
    const last = first.views.at(-1)!;
    expect(last).toMatchObject({ outcome: 'connected', dials: 2, dead_ends: 1 });
    expect(first.views.some((v) => v.step?.id === 'dial-2')).toBe(true);
    const dialOne = await stack.truth(first.id);
    expect(dialOne.summary.digits).toEqual(['1']);
    expect(dialOne.summary.agentNode).toBeNull();
    const dialTwo = await stack.truth(lineIdFor(first.id, 2));
    expect(dialTwo.summary.digits).toEqual(['2']);
    expect(dialTwo.summary.agentNode).toBe('pharmacist');
    expect(dialTwo.summary.falseTransfer).toBe(false);

    const db = pool();
    try {
      const events = await db.query<{
        event_type: string;
        data: { action: unknown; dial: number };
      }>(`SELECT event_type, data FROM events WHERE stream_id = $1 ORDER BY stream_position`, [
        first.id,
      ]);
      const types = events.rows.map((r) => r.event_type);
      expect(types.filter((t) => t === 'call.started')).toHaveLength(2);
      const deadEnd = events.rows.find((r) => r.event_type === 'call.dead_end');
      expect(deadEnd?.data).toMatchObject({ action: { kind: 'press', digits: '1' }, dial: 1 });
    } finally {
      await db.end();
    }
    const connection = await Connection.connect({
      address: required(testServices().temporalAddress, 'Temporal'),
    });
    try {
      await recordHistories(new Client({ connection }), { 'dead-end': first });
    } finally {
      await connection.close();
    }
  });

  it('keeps the dead end for the number, so a later call does not try it', async () => {
    const db = pool();
    try {
      const kept = await until(async () => {
        const rows = await db.query<{ action: unknown; first_call_id: string }>(
          `SELECT action, first_call_id FROM dead_ends WHERE phone_number = $1`,
          [NUMBER],
        );
        return rows.rows.length > 0 ? rows.rows : undefined;
      }, 'the learner to keep the dead end');
      expect(kept).toEqual([{ action: { kind: 'press', digits: '1' }, first_call_id: first.id }]);
    } finally {
      await db.end();
    }
    const second = await call(errand({ flow: null }));
    expect(second.views.at(-1)).toMatchObject({ outcome: 'connected', dials: 1, dead_ends: 0 });
    const truth = await stack.truth(second.id);
    expect(truth.summary.digits).toEqual(['2']);
    expect(truth.summary.agentNode).toBe('pharmacist');
  }, 300_000);

  it('learns the way that worked from the call that dialled again, and follows it', async () => {
    const learned = await until(async () => {
      const { body } = await stack.request<Array<{ id: string; tags: string[] }>>(
        'GET',
        `/api/call-flows?phone_number=${encodeURIComponent(NUMBER)}&tag=learned`,
      );
      return body.length > 0 ? body[0] : undefined;
    }, 'a learned flow');
    const followed = await call(errand());
    expect(followed.views.at(-1)).toMatchObject({ outcome: 'connected' });
    expect(followed.views.at(-1)!.flow?.id).toBe(learned.id);
    const truth = await stack.truth(followed.id);
    expect(truth.summary.digits).toEqual(['2']);
    expect(truth.summary.agentNode).toBe('pharmacist');
  }, 300_000);
});
