/**
 * The REST API on its own, against the Temporal server and database named
 * in the environment (TEMPORAL_ADDRESS, DATABASE_URL). Prints
 * {"ready":true,"url":...} on stdout once it listens.
 */
import { loadConfig } from '../config/env.js';
import { startApiServer } from '../runtime/apiServer.js';
import { createLogger } from '../runtime/logger.js';
import { requireServices } from '../runtime/requireServices.js';

const config = loadConfig();
const log = createLogger('api', config.LOG_LEVEL);
const services = await requireServices(config, [], 'the API', log);
const api = await startApiServer(
  { ...config, temporalAddress: services.TEMPORAL_ADDRESS, databaseUrl: services.DATABASE_URL },
  log,
);
log.info({ url: api.url }, 'API listening');
process.stdout.write(`${JSON.stringify({ ready: true, url: api.url })}\n`);
const stop = () => void api.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
