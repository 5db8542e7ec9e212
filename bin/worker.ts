/**
 * A call worker on its own: runs call workflows and their activities against
 * the Temporal server, database and media server named in the environment
 * (TEMPORAL_ADDRESS, DATABASE_URL, and SIM_CARRIER_URL or, with
 * TELEPHONY=freeswitch, GATEWAY_URL). Prints {"ready":true}
 * on stdout once it polls.
 */
import { loadConfig } from '../config/env.js';
import { createLogger } from '../runtime/logger.js';
import { requireServices } from '../runtime/requireServices.js';
import { createCallWorker } from '../temporal/worker.js';

const config = loadConfig();
const log = createLogger('worker', config.LOG_LEVEL);
const services = await requireServices(
  config,
  config.TELEPHONY === 'freeswitch' ? ['GATEWAY_URL'] : ['SIM_CARRIER_URL'],
  'the worker',
  log,
);
const worker = await createCallWorker(
  {
    ...config,
    temporalAddress: services.TEMPORAL_ADDRESS,
    databaseUrl: services.DATABASE_URL,
    carrierUrl:
      config.TELEPHONY === 'freeswitch' ? services.GATEWAY_URL! : services.SIM_CARRIER_URL!,
  },
  log,
);
const running = worker.run();
log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker polling');
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
const stop = () => void worker.shutdown().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
await running;
