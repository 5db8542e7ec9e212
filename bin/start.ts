/**
 * Hold Slayer on one machine with nothing installed: a Temporal dev server
 * (with its UI), an embedded PostgreSQL, the simulated carrier, a worker and
 * the REST API. Anything named in the environment is used instead.
 */
import { apiKeyFile } from '../config/apiKeys.js';
import { loadConfig } from '../config/env.js';
import { startLocalService } from '../runtime/localService.js';

const config = loadConfig();
const say = (msg: string) => process.stdout.write(`${msg}\n`);
say('Starting Hold Slayer…');
const service = await startLocalService(config, { say });
say(`REST API       ${service.api.url}/api/calls (OpenAPI at /api/openapi.json)`);
say(`Dashboard      ${service.api.url}/dashboard`);
say(
  `API key        ${config.API_KEYS ? 'one of API_KEYS' : `in ${apiKeyFile(config)}`} (Authorization: Bearer <key>)`,
);
if (service.stack.temporalUiUrl) say(`Temporal UI    ${service.stack.temporalUiUrl}`);
say(
  `Carrier        ${service.stack.carrierUrl} (ground truth in ${service.stack.truthDir ?? 'the carrier'})`,
);
say(`Logs           ${config.dataDir}/logs`);
say('Ready. Ctrl-C stops everything.');
const stop = () => {
  say('Stopping…');
  void service.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
