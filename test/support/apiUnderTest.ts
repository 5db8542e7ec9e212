import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/env.js';
import { startApiServer, type ApiServer } from '../../runtime/apiServer.js';
import { createLogger } from '../../runtime/logger.js';
import { required, testServices } from './services.js';

/** Every error the API answers has this shape. */
export interface ErrorBody {
  error: string;
  code: string;
  details: { path: string; message: string }[];
  request_id: string;
}

export interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * The REST API alone on the run's Temporal and PostgreSQL, with a key of its
 * own and a task queue no worker polls: calls started here stay at their
 * first step, which is what tests of the API itself need.
 */
export class ApiUnderTest {
  readonly key = randomBytes(24).toString('base64url');
  readonly taskQueue = `api-test-${randomUUID().slice(0, 8)}`;
  server!: ApiServer;

  constructor(private readonly env: Record<string, string> = {}) {}

  async start(): Promise<void> {
    const services = testServices();
    const config = loadConfig({
      TEMPORAL_ADDRESS: required(services.temporalAddress, 'Temporal'),
      DATABASE_URL: required(services.databaseUrl, 'PostgreSQL'),
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      HOLDSLAYER_SECRET_KEY: randomBytes(32).toString('base64'),
      HOLDSLAYER_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'holdslayer-api-test-')),
      API_KEYS: this.key,
      ...this.env,
    });
    this.server = await startApiServer(
      { ...config, temporalAddress: config.TEMPORAL_ADDRESS!, databaseUrl: config.DATABASE_URL! },
      createLogger('api', 'silent'),
      0,
    );
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  get url(): string {
    return this.server.url;
  }

  /** A request with the key; `headers` may replace it (or drop it, with authorization: ''). */
  async send<T = ErrorBody>(
    method: string,
    route: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const given: Record<string, string> = {
      authorization: `Bearer ${this.key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    };
    for (const [name, value] of Object.entries(given)) if (value === '') delete given[name];
    const response = await fetch(`${this.url}${route}`, {
      method,
      headers: given,
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      headers: response.headers,
      body: (type.includes('json') && text ? JSON.parse(text) : text) as T,
    };
  }
}
