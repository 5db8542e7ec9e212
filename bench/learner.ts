/**
 * npm run bench:learner [-- --calls N] [--numbers N] [--batch-sizes 500,2000,5000] [--concurrent N]
 *
 * How fast the learner folds calls' events into flows, on a database of its
 * own (a fresh `holdslayer_bench_<time>` database on DATABASE_URL's server,
 * or on a throwaway embedded PostgreSQL when DATABASE_URL is not set):
 *
 * 1. Seeds ~100,000 made-up call events (11,000 calls over 200 numbers),
 *    ordered as calls running side by side would append them: all of them
 *    at once (the worst case: every batch carries thousands of calls in
 *    progress over to the next), or N at a time with --concurrent N.
 * 2. For each batch size: the learner projection from an empty checkpoint
 *    to caught up (flows, traces and checkpoint emptied before each run).
 * 3. A full rebuild of every learned flow from the same events (relearn).
 *
 * Target: 20,000 events/s for the projection. It is a measurement: it
 * exits 0 whether or not the target is met.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { z } from 'zod';
import { PostgresEventStore } from '../events/postgresEventStore.js';
import { LearnerProjection } from '../learner/learnerProjection.js';
import { relearn } from '../learner/relearn.js';
import { migrateUp } from '../store/migrate.js';
import { createPool, type Pool } from '../store/pool.js';
import { embeddedBinDir } from '../store/postgres/binaries.js';
import { LocalPostgres } from '../store/postgres/localCluster.js';
import { parseWith } from '../validation/issues.js';
import { interleaved, syntheticCalls } from './syntheticCalls.js';
import { printMarkdownTable } from './markdownTable.js';

const TARGET_EVENTS_PER_S = 20_000;
/** Rows per INSERT while seeding. */
const SEED_CHUNK = 10_000;

const say = (msg: string) => process.stdout.write(`${msg}\n`);
const silent = pino({ level: 'silent' });
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '11000' },
    numbers: { type: 'string', default: '200' },
    'batch-sizes': { type: 'string', default: '500,2000,5000' },
    concurrent: { type: 'string' },
  },
});
const options = parseWith(
  z.object({
    calls: z.coerce.number().int().min(1),
    numbers: z.coerce.number().int().min(1),
    batchSizes: z.array(z.coerce.number().int().min(1)).min(1),
    concurrent: z.coerce.number().int().min(1).optional(),
  }),
  {
    calls: values.calls,
    numbers: values.numbers,
    batchSizes: values['batch-sizes'].split(',').filter(Boolean),
    concurrent: values.concurrent,
  },
  'bench options',
);

const cleanups: Array<() => Promise<void>> = [];
let interrupted = false;
async function cleanUp(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    interrupted = true;
    say(`\n${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });

/** The server to use: DATABASE_URL's, or an embedded one in a temporary folder. */
async function server(): Promise<string> {
  const configured = process.env.DATABASE_URL;
  if (configured) return configured;
  const root = mkdtempSync(path.join(tmpdir(), 'holdslayer-bench-learner-'));
  // As root, PostgreSQL runs as an unprivileged user who must be able to enter this folder.
  chmodSync(root, 0o755);
  cleanups.push(async () => rmSync(root, { recursive: true, force: true }));
  const started = process.hrtime.bigint();
  const local = await LocalPostgres.start({
    binDir: embeddedBinDir(),
    dataDir: path.join(root, 'postgres'),
  });
  cleanups.push(() => local.stop());
  say(`embedded PostgreSQL started in ${seconds(started).toFixed(1)} s (${root})`);
  return local.url;
}

/** A new, empty database on the server, migrated; dropped at the end. */
async function freshDatabase(serverUrl: string): Promise<string> {
  const name = `holdslayer_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migrateUp(url.toString());
  say(`database ${name} (dropped at the end)`);
  return url.toString();
}

/** Writes the calls' events straight into the events table, interleaved, in chunks. */
async function seed(pool: Pool): Promise<number> {
  const calls = syntheticCalls(options.calls, options.numbers, 'bench');
  // All calls side by side (every open call has a trace to carry between batches), or in waves of N.
  const wave = options.concurrent ?? calls.length;
  const waves = Array.from({ length: Math.ceil(calls.length / wave) }, (_, k) =>
    calls.slice(k * wave, (k + 1) * wave),
  );
  const ordered = waves.flatMap((w) => interleaved(w));
  const next = new Map<string, number>();
  const rows = ordered.map(({ stream, event }) => {
    const position = next.get(stream) ?? 0;
    next.set(stream, position + 1);
    return { stream, position, event };
  });
  for (let i = 0; i < rows.length; i += SEED_CHUNK) {
    const chunk = rows.slice(i, i + SEED_CHUNK);
    await pool.query(
      `INSERT INTO events (stream_id, stream_position, event_id, event_type, schema_version, data, metadata)
       SELECT e.stream, e.pos, e.id, e.type, e.ver, e.data, e.meta
         FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])
              WITH ORDINALITY AS e(stream, pos, id, type, ver, data, meta, ord)
        ORDER BY e.ord`,
      [
        chunk.map((r) => r.stream),
        chunk.map((r) => r.position),
        chunk.map((r) => r.event.id),
        chunk.map((r) => r.event.type),
        chunk.map((r) => r.event.schemaVersion),
        chunk.map((r) => JSON.stringify(r.event.data)),
        chunk.map((r) => JSON.stringify(r.event.metadata)),
      ],
    );
  }
  // A running server's autovacuum would have analysed the table by now.
  await pool.query('ANALYZE events');
  return rows.length;
}

async function count(pool: Pool, sql: string): Promise<number> {
  const result = await pool.query<{ n: string }>(sql);
  return Number(result.rows[0]!.n);
}

const flowCount = (pool: Pool) =>
  count(pool, `SELECT count(*) AS n FROM call_flows WHERE learned_key IS NOT NULL`);
const versionCount = (pool: Pool) => count(pool, `SELECT count(*) AS n FROM call_flow_versions`);

interface Row {
  run: string;
  events: number;
  seconds: number;
  flows: number;
  versions: number;
}

try {
  const url = await freshDatabase(await server());
  const pool = createPool(url);
  cleanups.push(() => pool.end());
  const store = new PostgresEventStore(pool, url);
  cleanups.push(() => store.close());

  let started = process.hrtime.bigint();
  const seeded = await seed(pool);
  const seedS = seconds(started);
  say(
    `seeded ${fmt(seeded)} events (${fmt(options.calls)} calls over ${fmt(options.numbers)} numbers, ${options.concurrent ? `${fmt(options.concurrent)} at a time` : 'all at once'}, interleaved) in ${seedS.toFixed(1)} s: ${fmt(seeded / seedS)} events/s (not part of the target)`,
  );

  const rows: Row[] = [];
  // The first run pays for compiling the learner's code (a worker that has run a while has);
  // it is shown, but the target is judged on the runs after it.
  const runs: Array<{ run: string; batchSize?: number }> = [
    { run: 'projection, default batch, first run (cold)' },
    ...options.batchSizes.map((batchSize) => ({
      run: `projection, batch ${fmt(batchSize)}`,
      batchSize,
    })),
  ];
  for (const { run, batchSize } of runs) {
    // From nothing learned: no flows, no traces of calls in progress, no checkpoint.
    await pool.query(
      `TRUNCATE call_flow_versions, call_flows, learner_traces, projection_checkpoints CASCADE`,
    );
    const learner = new LearnerProjection(store, pool, {
      log: silent,
      ...(batchSize !== undefined ? { batchSize } : {}),
    });
    started = process.hrtime.bigint();
    const folded = await learner.catchUp();
    const s = seconds(started);
    rows.push({
      run,
      events: folded,
      seconds: s,
      flows: await flowCount(pool),
      versions: await versionCount(pool),
    });
    say(`${run}: ${fmt(folded)} events in ${s.toFixed(2)} s`);
  }

  started = process.hrtime.bigint();
  const rebuilt = await relearn(store, pool, { all: true }, { dryRun: false });
  const relearnS = seconds(started);
  rows.push({
    run: 'relearn --all (full rebuild)',
    events: seeded,
    seconds: relearnS,
    flows: await flowCount(pool),
    versions: await versionCount(pool),
  });
  say(
    `relearn: ${rebuilt.length} flows rebuilt (${rebuilt.filter((f) => f.changed).length} changed) in ${relearnS.toFixed(2)} s`,
  );

  const table = [
    ['run', 'events', 'seconds', 'events/s', 'learned flows', 'flow versions'],
    ...rows.map((r) => [
      r.run,
      fmt(r.events),
      r.seconds.toFixed(2),
      fmt(r.events / r.seconds),
      fmt(r.flows),
      fmt(r.versions),
    ]),
  ];
  printMarkdownTable(table, say);
  const projections = rows.filter((r) => r.run.startsWith('projection, batch'));
  const best = Math.max(...projections.map((r) => r.events / r.seconds));
  const worst = Math.min(...projections.map((r) => r.events / r.seconds));
  say(
    worst >= TARGET_EVENTS_PER_S
      ? `TARGET MET: the projection folds at least ${fmt(worst)} events/s at every batch size (target ${fmt(TARGET_EVENTS_PER_S)})`
      : best >= TARGET_EVENTS_PER_S
        ? `TARGET MET at some batch sizes only: ${fmt(worst)} to ${fmt(best)} events/s (target ${fmt(TARGET_EVENTS_PER_S)})`
        : `TARGET MISSED: the projection folds at most ${fmt(best)} events/s (target ${fmt(TARGET_EVENTS_PER_S)})`,
  );
} catch (e) {
  if (!interrupted) {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  }
} finally {
  await cleanUp();
}
