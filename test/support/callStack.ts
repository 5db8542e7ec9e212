import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readTruth, summarizeTruth, type TruthSummary } from '../../carrier/call/truthSummary.js';
import type { TruthLine } from '../../carrier/call/groundTruth.js';
import { loadConfig } from '../../config/env.js';
import { startApiServer, type ApiServer } from '../../runtime/apiServer.js';
import { startCarrierProcess, type CarrierProcess } from '../../runtime/carrierProcess.js';
import { createLogger } from '../../runtime/logger.js';
import { spawnEntry, stopChild, waitForReady } from '../../runtime/nodeProcess.js';
import { required, testServices } from './services.js';

export interface CallView {
  id: string;
  phase: string;
  step: { id: string; type: string } | null;
  hold_seconds: number;
  last_transcript: string | null;
  outcome: string | null;
  reason: string | null;
  flow: { id: string; version: number } | null;
  decisions: { rules: number; model: number };
  dials: number | null;
  dead_ends: number | null;
  live: boolean;
}

/**
 * The whole product for one test file, for real: the simulated carrier and a
 * worker each in their own process, the REST API in this one, on the run's
 * Temporal dev server and PostgreSQL. Its own task queue keeps its calls
 * away from other files' workers.
 */
export class CallStack {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'holdslayer-e2e-'));
  readonly taskQueue = `e2e-${randomUUID().slice(0, 8)}`;
  carrier!: CarrierProcess;
  api!: ApiServer;
  private workers: ChildProcess[] = [];
  private readonly env: NodeJS.ProcessEnv;

  private readonly scenarioDirs: string[];

  constructor(
    options: {
      holdHeartbeatTimeoutS?: number;
      /** More for the worker's environment, e.g. a provider's settings. */
      env?: NodeJS.ProcessEnv;
      /** Scenario folders the carrier plays besides the project's. */
      scenarios?: string[];
    } = {},
  ) {
    this.scenarioDirs = [path.resolve('scenarios'), ...(options.scenarios ?? [])];
    const services = testServices();
    this.env = {
      ...process.env,
      TEMPORAL_ADDRESS: required(services.temporalAddress, 'Temporal'),
      DATABASE_URL: required(services.databaseUrl, 'PostgreSQL'),
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      HOLDSLAYER_DATA_DIR: path.join(this.dir, 'data'),
      HOLDSLAYER_SECRET_KEY: randomBytes(32).toString('base64'),
      HOLD_HEARTBEAT_TIMEOUT_S: String(options.holdHeartbeatTimeoutS ?? 10),
      LOG_LEVEL: 'info',
      ...options.env,
    };
  }

  async start(): Promise<void> {
    this.carrier = await startCarrierProcess({
      scenarios: this.scenarioDirs,
      truthDir: path.join(this.dir, 'truth'),
      logFile: path.join(this.dir, 'carrier.log'),
      env: this.env,
    });
    this.env.SIM_CARRIER_URL = this.carrier.url;
    const config = loadConfig(this.env);
    this.api = await startApiServer(
      { ...config, temporalAddress: config.TEMPORAL_ADDRESS!, databaseUrl: config.DATABASE_URL! },
      createLogger('api', 'info', path.join(this.dir, 'api.log')),
      0,
    );
    await this.startWorker();
  }

  /** Starts a worker process and resolves once it polls. */
  async startWorker(): Promise<ChildProcess> {
    const n = this.workers.length + 1;
    const child = spawnEntry('worker', [], { stdio: ['ignore', 'pipe', 'pipe'], env: this.env });
    child.stderr?.pipe(createWriteStream(path.join(this.dir, `worker-${n}.log`)));
    await waitForReady(child, `worker ${n}`, 120_000);
    this.workers.push(child);
    return child;
  }

  get workerProcesses(): ChildProcess[] {
    return this.workers;
  }

  async stop(): Promise<void> {
    await this.api?.stop();
    for (const w of this.workers) await stopChild(w);
    await this.carrier?.stop();
  }

  async request<T>(
    method: 'GET' | 'POST',
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.api.url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${this.api.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Polls the call until `until` holds; returns every distinct view seen on the way, the last one satisfying it. */
  async watch(
    id: string,
    until: (view: CallView) => boolean,
    timeoutMs = 180_000,
  ): Promise<CallView[]> {
    const seen: CallView[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { body } = await this.request<CallView>('GET', `/api/calls/${id}`);
      seen.push(body);
      if (until(body)) return seen;
      if (Date.now() > deadline)
        throw new Error(
          `call ${id} did not get there in ${timeoutMs} ms; last: ${JSON.stringify(body)}`,
        );
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Everything the worker processes and the API logged. */
  logs(): string {
    const files = ['api.log', ...this.workers.map((_, i) => `worker-${i + 1}.log`)];
    return files
      .map((f) => path.join(this.dir, f))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
  }

  truthFile(callId: string): string {
    return path.join(this.carrier.truthDir, `${callId}.jsonl`);
  }

  async truth(callId: string): Promise<{ lines: TruthLine[]; summary: TruthSummary }> {
    const lines = await readTruth(this.truthFile(callId));
    return { lines, summary: summarizeTruth(lines) };
  }
}
