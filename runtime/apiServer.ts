import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { ApiKeys } from '../api/apiKeyAuth.js';
import { CallService } from '../api/callService.js';
import { createApp } from '../api/app.js';
import { loadApiKeys } from '../config/apiKeys.js';
import type { Config } from '../config/env.js';
import { loadSecretKey } from '../config/secretKey.js';
import { CALL_STREAM_PREFIX } from '../events/callEvents.js';
import { createEventStore } from '../events/createEventStore.js';
import { EventFeed } from '../events/eventFeed.js';
import { ApiMetrics } from '../metrics/apiMetrics.js';
import { refusedNumberRules } from '../safety/refusedNumbers.js';
import { CallRepository } from '../store/callRepository.js';
import { FlowRepository } from '../store/flowRepository.js';
import { createPool } from '../store/pool.js';
import { SecretVault } from '../store/secretVault.js';
import type { Logger } from './logger.js';

export interface ApiServer {
  url: string;
  /** A key the API accepts, for tools of this install that call it. */
  key: string;
  stop(): Promise<void>;
}

/** The REST API, listening, wired to Temporal, PostgreSQL and the event store. */
export async function startApiServer(
  config: Config & { temporalAddress: string; databaseUrl: string },
  log: Logger,
  port = config.API_PORT,
): Promise<ApiServer> {
  const keys = loadApiKeys(config);
  const refused = refusedNumberRules(config);
  const connection = await Connection.connect({ address: config.temporalAddress });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const pool = createPool(config.databaseUrl);
  const flows = new FlowRepository(pool);
  const calls = new CallService({
    client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    flows,
    calls: new CallRepository(pool),
    vault: new SecretVault(pool, loadSecretKey(config)),
    refused,
    holdHeartbeatTimeoutS: config.HOLD_HEARTBEAT_TIMEOUT_S,
  });
  const events = createEventStore(config, pool, config.databaseUrl);
  const feed = await EventFeed.start(events, CALL_STREAM_PREFIX, log);
  const metrics = new ApiMetrics(pool);
  const stopCounting = feed.listen((event) => metrics.observe(event));
  const app = createApp({
    calls,
    flows,
    events,
    feed,
    pool,
    log,
    keys: new ApiKeys(keys),
    metrics,
    refused,
    bodyLimitKb: config.API_BODY_LIMIT_KB,
    readiness: [
      { name: 'postgres', check: () => pool.query('SELECT 1').then(() => undefined) },
      {
        name: 'temporal',
        check: () => connection.healthService.check({}).then(() => undefined),
      },
      { name: 'event_store', check: () => events.headCheckpoint().then(() => undefined) },
    ],
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, config.API_HOST, () => resolve(s));
    s.once('error', reject);
  });
  const { address, port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${bound}`,
    key: keys[0]!,
    async stop() {
      // Live event streams never end by themselves: close them with the server.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      stopCounting();
      await feed.stop();
      await events.close();
      await pool.end();
      await connection.close();
    },
  };
}
