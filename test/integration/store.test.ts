import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { flowDefinitionSchema, type FlowDefinitionInput } from '../../flows/model.js';
import { CallRepository } from '../../store/callRepository.js';
import { FlowRepository } from '../../store/flowRepository.js';
import { LineRecordingRepository } from '../../store/lineRecordingRepository.js';
import { encodeFingerprint } from '../../media/analysis/fingerprint.js';
import { createPool, type Pool } from '../../store/pool.js';
import { SecretVault } from '../../store/secretVault.js';
import { describeWith, required, testServices } from '../support/services.js';

const example = JSON.parse(
  readFileSync(new URL('../../flows/examples/acme-bank-disputes.json', import.meta.url), 'utf8'),
) as FlowDefinitionInput;

describeWith(['postgres'], 'PostgreSQL store', () => {
  let pool: Pool;
  let flows: FlowRepository;
  let calls: CallRepository;
  // Each run uses its own number, so runs against one database do not see each other.
  const number = `+1555${String(Date.now()).slice(-7)}`;
  const definition = flowDefinitionSchema.parse({
    ...example,
    phone_number: number,
    tags: ['store-test'],
  });

  beforeAll(() => {
    pool = createPool(required(testServices().databaseUrl, 'PostgreSQL'));
    flows = new FlowRepository(pool);
    calls = new CallRepository(pool);
  });
  afterAll(() => pool.end());

  const insertCall = (id: string, flow: { id: string; version: number } | null) =>
    calls.insert({
      id,
      phoneNumber: number,
      company: 'Acme Bank',
      intent: 'x',
      userDevice: 'sim:u',
      flow,
    });

  it('stores a flow as version 1 and every change as a new version', async () => {
    const created = await flows.create(definition, 'api');
    expect(created.version).toBe(1);
    const changed = await flows.addVersion(
      created.id,
      { ...definition, steps: definition.steps.slice(3) },
      'api',
    );
    expect(changed!.version).toBe(2);
    expect((await flows.get(created.id, 1))!.steps).toHaveLength(5);
    expect((await flows.get(created.id))!.steps).toHaveLength(2);
    expect((await flows.forCall(number, 'any errand'))!.id).toBe(created.id);
    expect(
      (await flows.list({ tag: 'store-test', phoneNumber: number })).map((f) => f.version),
    ).toEqual([2]);
    expect(await flows.get(created.id, 3)).toBeUndefined();
  });

  it('writes the flow list as JSON that reads exactly as the list of objects does', async () => {
    await flows.create({ ...definition, company: 'Json Bank', tags: ['json-test'] }, 'api');
    await flows.create({ ...definition, company: 'Json Bank', tags: ['json-test'] }, 'api');
    for (const filter of [
      { tag: 'json-test' },
      { company: 'JSON BANK', phoneNumber: number },
      { tag: 'none-such' },
    ]) {
      const objects = await flows.list(filter);
      // Through JSON, as the API would send them.
      expect(JSON.parse(await flows.listAsJson(filter))).toEqual(
        JSON.parse(JSON.stringify(objects)),
      );
    }
    expect(JSON.parse(await flows.listAsJson({ tag: 'json-test' }))).toHaveLength(2);
  });

  it('counts a call on its flow version once, however often the outcome is recorded', async () => {
    const flow = await flows.create(definition, 'api');
    const ok = `call-${randomUUID()}`;
    const bad = `call-${randomUUID()}`;
    for (const id of [ok, bad]) await insertCall(id, { id: flow.id, version: 1 });
    expect(await calls.recordOutcome(ok, 'connected', null)).toBe(true);
    expect(await calls.recordOutcome(ok, 'connected', null)).toBe(false);
    expect(await calls.recordOutcome(bad, 'hold-timeout', 'no one answered')).toBe(true);
    const counted = (await flows.get(flow.id, 1))!;
    expect([counted.success_count, counted.failure_count]).toEqual([1, 1]);
    const record = (await calls.get(bad))!;
    expect(record).toMatchObject({
      status: 'ended',
      outcome: 'hold-timeout',
      outcome_reason: 'no one answered',
    });
  });

  it('keeps secrets sealed at rest and erases them when the call ends', async () => {
    const vault = new SecretVault(pool, randomBytes(32));
    const id = `call-${randomUUID()}`;
    await insertCall(id, null);
    await vault.put(id, { account: '4417123456' });
    expect(await vault.get(id, 'account')).toBe('4417123456');
    const raw = await pool.query<{ ciphertext: Buffer }>(
      'SELECT ciphertext FROM call_secrets WHERE call_id = $1',
      [id],
    );
    expect(raw.rows[0]!.ciphertext.toString('latin1')).not.toContain('4417123456');
    await expect(new SecretVault(pool, randomBytes(32)).get(id, 'account')).rejects.toThrow();
    await calls.recordOutcome(id, 'connected', null);
    expect(await vault.get(id, 'account')).toBeUndefined();
  });
});

describeWith(['postgres'], 'line recordings', () => {
  let pool: Pool;
  let lines: LineRecordingRepository;
  const number = `+1777${String(Date.now()).slice(-7)}`;
  // Two stretches of speech: the same recording heard twice, and something else.
  const recording = encodeFingerprint(
    Array.from({ length: 60 }, (_, i) => (i * 2654435761) & 0xffff),
  );
  const other = encodeFingerprint(Array.from({ length: 60 }, (_, i) => (i * 40503 + 7) & 0xffff));

  beforeAll(() => {
    pool = createPool(required(testServices().databaseUrl, 'PostgreSQL'));
    lines = new LineRecordingRepository(pool);
  });
  afterAll(() => pool.end());

  it('knows confirmed recordings at once, and an unconfirmed one as a candidate until another call hears it again', async () => {
    await lines.remember(number, {
      fingerprints: [],
      openings: ['Your call is important to us.'],
      candidates: [recording, other],
    });
    expect(await lines.known(number)).toEqual({
      fingerprints: [],
      openings: ['Your call is important to us.'],
      candidates: [other, recording],
      unplaced: 0,
    });
    await lines.remember(number, {
      fingerprints: [],
      openings: ['your call is important to us'],
      candidates: [recording],
    });
    await lines.remember(number, { fingerprints: [], openings: [], candidates: [], unplaced: 2 });
    await lines.remember(number, { fingerprints: [], openings: [], candidates: [], unplaced: 1 });
    const known = await lines.known(number);
    expect(known.unplaced).toBe(3);
    expect(known.fingerprints).toEqual([recording]);
    expect(known.candidates).toEqual([other]);
    expect(known.openings).toHaveLength(1);
    const counted = await pool.query<{ times_heard: number }>(
      `SELECT times_heard FROM line_recordings WHERE phone_number = $1 AND kind = 'opening'`,
      [number],
    );
    expect(counted.rows[0]!.times_heard).toBe(2);
  });
});
