/**
 * npm run bench:api [-- --duration S] [--connections N]
 *
 * Requests per second and latency (p50, p99) of the REST API under
 * concurrent load (autocannon), on a whole stack of its own:
 *
 * 1. GET /api/call-flows with 200 flows of 8 steps stored (plus the held
 *    call's flow): every flow at its latest version, in one response.
 * 2. GET /api/calls/:id for a call on hold: the stored record plus a
 *    Temporal query that the worker (a process of its own) answers.
 * 3. GET /api/calls/:id for an ended call (a busy line): the stored record
 *    plus a query of the closed workflow.
 *
 * Everything runs on a fresh data folder with its own Temporal dev server,
 * embedded PostgreSQL and simulated carrier (TEMPORAL_ADDRESS, DATABASE_URL
 * and SIM_CARRIER_URL are ignored, so a user's data is never touched). The
 * API runs as its own process, as `npm run api` does, so the load generator
 * does not share its event loop. Each route is warmed up for a second, then
 * measured. Exits 1 when any request failed, answered non-2xx, or answered
 * something other than the route should (e.g. the held call not live).
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import autocannon from 'autocannon';
import { z } from 'zod';
import { loadConfig } from '../config/env.js';
import { projectRoot } from '../config/paths.js';
import type { FlowDefinitionInput, FlowStepInput } from '../flows/model.js';
import { spawnEntry, stopChild, waitForReady } from '../runtime/nodeProcess.js';
import { startStack, type Stack } from '../runtime/stack.js';
import { parseWith } from '../validation/issues.js';
import { printMarkdownTable } from './markdownTable.js';

const MENU_FLOWS = 200;
/** The number the bench's own scenario answers: a queue no agent ever picks up. */
const HOLD_NUMBER = '+15555550199';
/** scenarios/busy-line.json: the call ends at once, as busy. */
const BUSY_LINE = { number: '+13035550123', company: 'Always Busy Ltd' };
const USER_DEVICE = 'sim:bench-user';
const WARM_UP_S = 1;
/** Starting the worker compiles its workflow bundle: that takes a while on two cores. */
const START_TIMEOUT_MS = 180_000;
const CALL_TIMEOUT_MS = 90_000;

const say = (msg: string) => process.stdout.write(`${msg}\n`);

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
  },
});
const options = parseWith(
  z.object({
    duration: z.coerce.number().int().min(1),
    connections: z.coerce.number().int().min(1),
  }),
  values,
  'bench options',
);

// Cleanups run last-registered first, so what depends on a service stops before it.
const cleanups: Array<() => Promise<void>> = [];
let interrupted = false;
let failed = false;
async function cleanUp(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    interrupted = true;
    say(`\n${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Rejects with `what` named when `promise` takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** An empty data folder, removed at the end unless the run failed (its logs tell why). */
function freshDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'holdslayer-bench-api-'));
  // As root, the embedded PostgreSQL runs as an unprivileged user who must be able to enter it.
  chmodSync(dir, 0o755);
  cleanups.push(async () => {
    if (failed) say(`logs kept in ${path.join(dir, 'logs')}`);
    else rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/**
 * A scenario of the bench's own, outside scenarios/: a line that answers
 * straight into a queue of music with no announcement and no agent, so a
 * call stays on hold for as long as the bench needs.
 */
function writeEndlessHoldScenario(dir: string): void {
  const scenario = {
    format: 'holdslayer-scenario/v1',
    id: 'bench-endless-hold',
    company: 'Endless Queue Inc',
    number: HOLD_NUMBER,
    ring: 1,
    start: 'queue',
    nodes: {
      queue: {
        type: 'queue',
        music: { moh: 'macroform-cold_day' },
        wait: 86_400,
        agent: 'agent',
      },
      agent: { type: 'agent', department: 'nobody', play: { say: 'Hello, this is nobody.' } },
    },
    task: { intent: 'wait on hold', expect: 'agent' },
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'bench-endless-hold.json'), JSON.stringify(scenario, null, 2));
}

/**
 * The environment of this process and every process it starts (the stack
 * starts the carrier with it): the fresh data folder, the API key, the
 * project's scenarios plus the bench's, and no external service, so that
 * the stack starts its own.
 */
function useBenchEnvironment(dataDir: string, apiKey: string): void {
  const scenarioDir = path.join(dataDir, 'scenarios');
  writeEndlessHoldScenario(scenarioDir);
  for (const name of ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'SIM_CARRIER_URL', 'KURRENTDB_URL'])
    delete process.env[name];
  Object.assign(process.env, {
    HOLDSLAYER_DATA_DIR: dataDir,
    API_KEYS: apiKey,
    EVENT_STORE: 'postgres',
    SIM_SCENARIOS: [path.join(projectRoot, 'scenarios'), scenarioDir].join(':'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  });
}

/** The hold music the bench's scenario plays: fetched once, as the other carrier commands do. */
function ensureSounds(): void {
  execFileSync('bash', [path.join(projectRoot, 'scripts', 'fetch-sounds.sh')], {
    stdio: 'inherit',
  });
}

async function startStackHere(): Promise<Stack> {
  const started = process.hrtime.bigint();
  const stack = await startStack(loadConfig(), say);
  cleanups.push(() => stack.stop());
  say(`stack up in ${seconds(started).toFixed(1)} s`);
  return stack;
}

/** Starts bin/NAME against the stack, its logs in the data folder; resolves with its ready line. */
async function startEntry<T extends { ready: true }>(
  name: 'worker' | 'api',
  stack: Stack,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<T> {
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    DATABASE_URL: stack.databaseUrl,
    SIM_CARRIER_URL: stack.carrierUrl,
    ...extraEnv,
  };
  const child: ChildProcess = spawnEntry(name, [], { stdio: ['ignore', 'pipe', 'pipe'], env });
  cleanups.push(() => stopChild(child));
  const logs = path.join(loadConfig().dataDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const log = createWriteStream(path.join(logs, `${name}.log`));
  child.stderr?.pipe(log);
  const ready = await waitForReady<T>(child, name, START_TIMEOUT_MS);
  // Nothing more is read from stdout: keep it flowing so the child never blocks on a full pipe.
  child.stdout?.pipe(log);
  return ready;
}

/** JSON over HTTP with the bench's key, as any client of the API must send. */
class Api {
  constructor(
    readonly url: string,
    readonly key: string,
  ) {}

  get authorization(): Record<string, string> {
    return { authorization: `Bearer ${this.key}` };
  }

  async request<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${route}`, {
      method,
      headers: {
        ...this.authorization,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
}

/** What the bench reads of GET /api/calls/:id. */
interface CallView {
  id: string;
  phase: string;
  outcome: string | null;
  live: boolean;
}

const example = JSON.parse(
  readFileSync(path.join(projectRoot, 'flows', 'examples', 'acme-bank-disputes.json'), 'utf8'),
) as FlowDefinitionInput;

function exampleStep(id: string): FlowStepInput {
  const step = example.steps.find((s) => s.id === id);
  if (!step) throw new Error(`flows/examples/acme-bank-disputes.json has no step ${id}`);
  return step;
}

/**
 * The n-th stored flow: the Acme example's five steps plus a language menu,
 * a confirmation key and a pause (eight), for one of 40 companies with
 * five errands each, so the list carries what a real install's would.
 */
function menuFlow(n: number): FlowDefinitionInput {
  const company = `Company ${Math.floor(n / 5)}`;
  const errand = n % 5;
  return {
    ...example,
    name: `${company}: errand ${errand}`,
    company,
    phone_number: `+1800555${String(1000 + n).padStart(4, '0')}`,
    description: `errand ${errand} of ${company}, written by hand`,
    tags: ['bench', `errand-${errand}`, n % 2 === 0 ? 'even' : 'odd'],
    steps: [
      {
        id: 'language',
        type: 'LISTEN',
        description: 'language selection: English is 1',
        timeout: 20,
        dtmf: '1',
        next_step: 'main-menu',
      },
      exampleStep('main-menu'),
      exampleStep('disputes-menu'),
      { ...exampleStep('account-number'), next_step: 'confirm' },
      {
        id: 'confirm',
        type: 'DTMF',
        description: 'confirm the account number',
        dtmf: '1',
        next_step: 'pause',
      },
      {
        id: 'pause',
        type: 'WAIT',
        description: 'let the menu move on',
        timeout: 2,
        next_step: 'disputes-queue',
      },
      exampleStep('disputes-queue'),
      exampleStep('bring-user-in'),
    ],
  };
}

/** The held call's flow: hold (for a day at most), then bring the user in. */
const holdFlow: FlowDefinitionInput = {
  name: 'Endless Queue Inc: hold',
  company: 'Endless Queue Inc',
  phone_number: HOLD_NUMBER,
  description: 'a queue no one answers',
  tags: ['bench'],
  steps: [
    {
      id: 'queue',
      type: 'HOLD',
      description: 'music, forever',
      timeout: 86_400,
      next_step: 'user',
    },
    { id: 'user', type: 'TRANSFER', description: 'bring the user in' },
  ],
};

/** Stores the flows through POST /api/call-flows; returns the held call's flow id. */
async function seedFlows(api: Api): Promise<string> {
  const started = process.hrtime.bigint();
  for (let n = 0; n < MENU_FLOWS; n += 1) await api.request('POST', '/api/call-flows', menuFlow(n));
  const hold = await api.request<{ id: string }>('POST', '/api/call-flows', holdFlow);
  const listed = await api.request<unknown[]>('GET', '/api/call-flows');
  if (listed.length !== MENU_FLOWS + 1)
    throw new Error(`GET /api/call-flows lists ${listed.length} flows, not ${MENU_FLOWS + 1}`);
  say(`stored ${listed.length} flows in ${seconds(started).toFixed(1)} s`);
  return hold.id;
}

/** Polls the call's status until `until` holds. */
async function waitForCall(
  api: Api,
  id: string,
  until: (view: CallView) => boolean,
  what: string,
): Promise<CallView> {
  const deadline = Date.now() + CALL_TIMEOUT_MS;
  for (;;) {
    const view = await api.request<CallView>('GET', `/api/calls/${id}`);
    if (until(view)) return view;
    if (Date.now() > deadline)
      throw new Error(
        `call ${id} was not ${what} after ${CALL_TIMEOUT_MS} ms: ${JSON.stringify(view)}`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A call left on hold; cancelled at the end, so the worker stops with no activity running. */
async function placeHeldCall(api: Api, flowId: string, temporal: Client): Promise<string> {
  const { id } = await api.request<{ id: string }>('POST', '/api/calls', {
    phone_number: HOLD_NUMBER,
    company: holdFlow.company,
    intent: 'wait on hold',
    user_device: USER_DEVICE,
    flow: { id: flowId },
  });
  cleanups.push(async () => {
    await api.request('POST', `/api/calls/${id}/cancel`, { reason: 'the benchmark is over' });
    await within(temporal.workflow.getHandle(id).result(), 30_000, 'cancelling the held call');
  });
  await waitForCall(api, id, (v) => v.phase === 'holding' && v.live, 'on hold');
  return id;
}

/** A call to a busy line, once its workflow has closed (its status then queries a closed workflow). */
async function placeEndedCall(api: Api, temporal: Client): Promise<string> {
  const { id } = await api.request<{ id: string }>('POST', '/api/calls', {
    phone_number: BUSY_LINE.number,
    company: BUSY_LINE.company,
    intent: 'talk to anyone',
    user_device: USER_DEVICE,
    flow: null,
  });
  await within(temporal.workflow.getHandle(id).result(), CALL_TIMEOUT_MS, `call ${id} to end`);
  await waitForCall(api, id, (v) => v.phase === 'ended', 'ended');
  return id;
}

async function temporalClient(stack: Stack): Promise<Client> {
  const connection = await Connection.connect({ address: stack.temporalAddress });
  cleanups.push(() => connection.close());
  return new Client({ connection, namespace: loadConfig().TEMPORAL_NAMESPACE });
}

interface Route {
  name: string;
  path: string;
  /** What every answer must say, beyond a 2xx status; a 200 can hide a workflow query that timed out. */
  expect?: (body: string) => boolean;
}

interface Row {
  route: string;
  requestsPerS: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  unexpected: number;
}

function load(api: Api, route: Route, duration: number): Promise<autocannon.Result> {
  const expect = route.expect;
  return autocannon({
    url: `${api.url}${route.path}`,
    connections: options.connections,
    duration,
    headers: api.authorization,
    ...(expect ? { verifyBody: (body) => body !== undefined && expect(body.toString()) } : {}),
  });
}

/** A second of load to warm up (connections, JIT, caches), then the measurement. */
async function measure(api: Api, route: Route): Promise<Row> {
  await load(api, route, WARM_UP_S);
  const result = await load(api, route, options.duration);
  const row: Row = {
    route: route.name,
    requestsPerS: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    unexpected: result.mismatches,
  };
  say(`${route.name}: ${Math.round(row.requestsPerS)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms`);
  return row;
}

function printTable(rows: Row[]): void {
  const table = [
    ['route', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'errors/non-2xx', 'unexpected bodies'],
    ...rows.map((r) => [
      r.route,
      String(options.connections),
      Math.round(r.requestsPerS).toLocaleString('en-US'),
      String(r.p50),
      String(r.p99),
      `${r.errors}/${r.non2xx}`,
      String(r.unexpected),
    ]),
  ];
  printMarkdownTable(table, say);
}

try {
  const apiKey = randomBytes(24).toString('base64url');
  const dataDir = freshDataDir();
  useBenchEnvironment(dataDir, apiKey);
  say(`data folder ${dataDir}`);
  ensureSounds();
  const stack = await startStackHere();
  await startEntry('worker', stack);
  const { url } = await startEntry<{ ready: true; url: string }>('api', stack, { API_PORT: '0' });
  const api = new Api(url, apiKey);
  const temporal = await temporalClient(stack);

  const holdFlowId = await seedFlows(api);
  const held = await placeHeldCall(api, holdFlowId, temporal);
  const ended = await placeEndedCall(api, temporal);
  say(`call on hold ${held}, ended call ${ended}`);

  const routes: Route[] = [
    { name: `GET /api/call-flows (${MENU_FLOWS + 1} flows)`, path: '/api/call-flows' },
    {
      name: 'GET /api/calls/:id (on hold)',
      path: `/api/calls/${held}`,
      expect: (b) => b.includes('"phase":"holding"') && b.includes('"live":true'),
    },
    {
      name: 'GET /api/calls/:id (ended)',
      path: `/api/calls/${ended}`,
      expect: (b) => b.includes('"phase":"ended"'),
    },
  ];
  const rows: Row[] = [];
  for (const route of routes) rows.push(await measure(api, route));
  printTable(rows);

  const bad = rows.filter((r) => r.errors + r.non2xx + r.unexpected > 0);
  if (bad.length > 0) {
    failed = true;
    process.exitCode = 1;
    say(
      `FAILED: errors, non-2xx answers or unexpected bodies on ${bad.map((r) => r.route).join(', ')}`,
    );
  }
} catch (e) {
  if (!interrupted) {
    failed = true;
    process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  }
} finally {
  await cleanUp();
}
