import pg from 'pg';
import pino from 'pino';
import { interleaved, syntheticCalls, type SyntheticCall } from '../../bench/syntheticCalls.js';
import { PostgresEventStore } from '../../events/postgresEventStore.js';
import { LearnerProjection } from '../../learner/learnerProjection.js';
import { relearn } from '../../learner/relearn.js';
import { migrateUp } from '../../store/migrate.js';
import { createPool, type Pool } from '../../store/pool.js';
import { describeWith, required, testServices } from '../support/services.js';

const log = pino({ level: 'silent' });

/** A database of its own, so two learners can be compared on the same events. */
async function freshDatabase(
  name: string,
): Promise<{ url: string; pool: Pool; store: PostgresEventStore; drop(): Promise<void> }> {
  const base = required(testServices().databaseUrl, 'PostgreSQL');
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  await migrateUp(url.toString());
  const pool = createPool(url.toString());
  const store = new PostgresEventStore(pool, url.toString());
  return {
    url: url.toString(),
    pool,
    store,
    async drop() {
      await store.close();
      await pool.end();
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

async function seed(store: PostgresEventStore, calls: SyntheticCall[]): Promise<number> {
  const revisions = new Map<string, bigint>();
  let count = 0;
  for (const { stream, event } of interleaved(calls)) {
    const last = revisions.get(stream);
    const { nextRevision } = await store.append(
      stream,
      [event],
      last === undefined ? 'no_stream' : last,
    );
    revisions.set(stream, nextRevision);
    count += 1;
  }
  return count;
}

/** Every learned flow's latest steps, by the number and errand it is for. */
async function learnedFlows(pool: Pool): Promise<Record<string, unknown>> {
  const rows = await pool.query<{ learned_key: string; steps: unknown }>(
    `SELECT f.learned_key, v.steps FROM call_flows f
       JOIN call_flow_versions v ON v.flow_id = f.id AND v.version = f.latest_version
      WHERE f.learned_key IS NOT NULL ORDER BY f.learned_key`,
  );
  return Object.fromEntries(rows.rows.map((r) => [r.learned_key, r.steps]));
}

async function counts(pool: Pool): Promise<number[]> {
  const r = await pool.query<{ flows: number; versions: number; traces: number }>(
    `SELECT (SELECT count(*)::int FROM call_flows) AS flows,
            (SELECT count(*)::int FROM call_flow_versions) AS versions,
            (SELECT count(*)::int FROM learner_traces) AS traces`,
  );
  return [r.rows[0]!.flows, r.rows[0]!.versions, r.rows[0]!.traces];
}

describeWith(['postgres'], 'learner projection', () => {
  const suffix = String(process.pid);
  let crashed: Awaited<ReturnType<typeof freshDatabase>>;
  let whole: Awaited<ReturnType<typeof freshDatabase>>;
  const calls = syntheticCalls(240, 12, 'learner-test');

  beforeAll(async () => {
    crashed = await freshDatabase(`learner_crash_${suffix}`);
    whole = await freshDatabase(`learner_whole_${suffix}`);
    await seed(crashed.store, calls);
    await seed(whole.store, calls);
  }, 120_000);
  afterAll(async () => {
    await crashed?.drop();
    await whole?.drop();
  });

  /**
   * Catches up until `expected` events are folded. Events committed while
   * another transaction on the server is open (other test files share it)
   * are not readable until it ends, so one catch-up may stop short of them.
   */
  async function catchUpAll(projection: LearnerProjection, expected: number): Promise<number> {
    const deadline = Date.now() + 30_000;
    let folded = await projection.catchUp();
    while (folded < expected && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      folded += await projection.catchUp();
    }
    return folded;
  }

  it('gives the same flows after a crash mid-batch as an uninterrupted run', async () => {
    let batches = 0;
    const dying = new LearnerProjection(crashed.store, crashed.pool, {
      log,
      batchSize: 97,
      beforeCommit: async () => {
        batches += 1;
        if (batches === 6) throw new Error('the learner died mid-batch');
      },
    });
    await expect(dying.catchUp()).rejects.toThrow('died mid-batch');
    const stoppedAt = await dying.checkpoint();
    // Five batches committed; the sixth left nothing behind.
    expect(batches).toBe(6);
    const traces = (await counts(crashed.pool))[2];
    expect(traces).toBeGreaterThan(0);

    const restarted = new LearnerProjection(crashed.store, crashed.pool, { log, batchSize: 97 });
    expect(await restarted.checkpoint()).toBe(stoppedAt);
    const total = calls.reduce((n, c) => n + c.events.length, 0);
    expect(await catchUpAll(restarted, total - 5 * 97)).toBe(total - 5 * 97);

    const uninterrupted = new LearnerProjection(whole.store, whole.pool, { log, batchSize: 1000 });
    expect(await catchUpAll(uninterrupted, total)).toBe(total);
    const a = await learnedFlows(crashed.pool);
    const b = await learnedFlows(whole.pool);
    // Two errands at each of twelve numbers.
    expect(Object.keys(b)).toHaveLength(24);
    expect(a).toEqual(b);
    expect((await counts(crashed.pool))[2]).toBe(0);
    expect(await restarted.catchUp()).toBe(0);
  });

  it("learns each number's way: keys by errand, the account keyed by reference, a branch for the after-hours menu", async () => {
    const flows = await learnedFlows(whole.pool);
    const key = Object.keys(flows).find(
      (k) => k.startsWith('+18005000000|') && k.includes('disput'),
    )!;
    const steps = flows[key] as Array<{
      id: string;
      type: string;
      dtmf?: string;
      conditions: Array<{ pattern: string; next_step: string }>;
    }>;
    expect(
      steps.filter((s) => s.type === 'LISTEN' && !s.id.startsWith('b')).map((s) => s.dtmf),
    ).toEqual(['2', '{secret:account}#']);
    expect(steps[0]!.conditions).toEqual([
      { pattern: expect.stringMatching(/closed/), next_step: 'b1-l1' },
    ]);
    expect(steps.find((s) => s.id === 'b1-l1')).toMatchObject({ type: 'DTMF', dtmf: '2' });
  });

  it('rebuilds from scratch to the same flows, and a dry run writes nothing', async () => {
    const before = await counts(whole.pool);
    const checkpoint = await whole.pool.query(`SELECT position FROM projection_checkpoints`);
    const dry = await relearn(whole.store, whole.pool, { all: true }, { dryRun: true });
    expect(dry).toHaveLength(24);
    expect(dry.filter((f) => f.changed)).toEqual([]);
    const one = calls.find((c) => c.events.length > 8)!.stream;
    const single = await relearn(whole.store, whole.pool, { callId: one }, { dryRun: true });
    expect(single).toHaveLength(1);
    expect(single[0]).toMatchObject({ calls: 1, changed: true, to_version: null });
    expect(single[0]!.diff.length).toBeGreaterThan(0);
    expect(await counts(whole.pool)).toEqual(before);
    expect((await whole.pool.query(`SELECT position FROM projection_checkpoints`)).rows).toEqual(
      checkpoint.rows,
    );

    const written = await relearn(whole.store, whole.pool, { callId: one }, { dryRun: false });
    expect(written[0]!.to_version).toBe(written[0]!.from_version! + 1);
    expect((await counts(whole.pool))[1]).toBe(before[1]! + 1);
  });
});
