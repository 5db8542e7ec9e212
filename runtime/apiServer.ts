import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { CallService } from '../api/callService.js';
import { createEventStore } from '../events/createEventStore.js';
import { createApp } from '../api/app.js';
import type { Config } from '../config/env.js';
import { loadSecretKey } from '../config/secretKey.js';
import { CallRepository } from '../store/callRepository.js';
import { FlowRepository } from '../store/flowRepository.js';
import { createPool } from '../store/pool.js';
import { SecretVault } from '../store/secretVault.js';
import type { Logger } from './logger.js';

export interface ApiServer {
  url: string;
  stop(): Promise<void>;
}

/** The REST API, listening, wired to Temporal and PostgreSQL. */
export async function startApiServer(
  config: Config & { temporalAddress: string; databaseUrl: string },
  log: Logger,
  port = config.API_PORT,
): Promise<ApiServer> {
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
    holdHeartbeatTimeoutS: config.HOLD_HEARTBEAT_TIMEOUT_S,
  });
  const events = createEventStore(config, pool, config.databaseUrl);
  const app = createApp({ calls, flows, events, pool, log });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, config.API_HOST, () => resolve(s));
    s.once('error', reject);
  });
  const { address, port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${bound}`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await events.close();
      await pool.end();
      await connection.close();
    },
  };
}
