import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { createEventStore } from '../events/createEventStore.js';
import { LearnerProjection } from '../learner/learnerProjection.js';
import type { Config } from '../config/env.js';
import { loadSecretKey } from '../config/secretKey.js';
import { LegRegistry } from '../media/telephony/legRegistry.js';
import { SimTelephony } from '../media/telephony/sim/simTelephony.js';
import type { Logger } from '../runtime/logger.js';
import { createProviders } from '../runtime/providers.js';
import { CallRepository } from '../store/callRepository.js';
import { FlowRepository } from '../store/flowRepository.js';
import { DeadEndRepository } from '../store/deadEndRepository.js';
import { LineRecordingRepository } from '../store/lineRecordingRepository.js';
import { createPool } from '../store/pool.js';
import { SecretVault } from '../store/secretVault.js';
import { routeSdkLogs } from './sdkLogging.js';

/** The workflow sources: TypeScript when running from sources, JavaScript from dist/. */
export function workflowsPath(): string {
  const ts = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
  return existsSync(ts) ? ts : fileURLToPath(new URL('../workflows/index.js', import.meta.url));
}

export interface CallWorker {
  worker: Worker;
  run(): Promise<void>;
  /** Stops polling, lets running activities finish or fail, releases connections. */
  shutdown(): Promise<void>;
}

/**
 * A worker for call workflows and their activities, wired to the media
 * server and the database. `carrierUrl` is the line server: the simulated
 * carrier, or the FreeSWITCH gateway.
 */
export async function createCallWorker(
  config: Config & { temporalAddress: string; databaseUrl: string; carrierUrl: string },
  log: Logger,
): Promise<CallWorker> {
  routeSdkLogs(log);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const pool = createPool(config.databaseUrl);
  // The FreeSWITCH gateway speaks the simulated carrier's line protocol: one client serves both.
  const legs = new LegRegistry(
    new SimTelephony(
      config.carrierUrl,
      config.TELEPHONY === 'freeswitch' ? config.GATEWAY_SAMPLE_RATE : config.SIM_SAMPLE_RATE,
    ),
  );
  const { tts, transcriber, navigator } = createProviders(config, log);
  const events = createEventStore(config, pool, config.databaseUrl);
  const activities = createActivities({
    legs,
    flows: new FlowRepository(pool),
    calls: new CallRepository(pool),
    vault: new SecretVault(pool, loadSecretKey(config)),
    recordings: new LineRecordingRepository(pool),
    deadEnds: new DeadEndRepository(pool),
    events,
    tts,
    transcriber,
    navigator,
    callerId: config.CALLER_ID,
    audioDir: path.join(config.dataDir, 'audio'),
    log,
  });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowsPath: workflowsPath(),
    activities,
    // A hold is one long activity per call: many can run at once on one worker.
    maxConcurrentActivityTaskExecutions: 200,
    shutdownGraceTime: '5s',
  });
  let running: Promise<void> | undefined;
  const stopLearning = new AbortController();
  let learning: Promise<void> | undefined;
  return {
    worker,
    run() {
      if (config.LEARNER === 'on')
        learning ??= new LearnerProjection(events, pool, { log }).run(
          config.databaseUrl,
          stopLearning.signal,
        );
      running ??= worker.run();
      return running;
    },
    async shutdown() {
      stopLearning.abort();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running?.catch(() => undefined);
      await learning?.catch(() => undefined);
      await events.close();
      await legs.close();
      await tts.close();
      await pool.end();
      await connection.close();
    },
  };
}
