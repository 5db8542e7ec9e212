import type { Config } from '../config/env.js';
import type { Logger } from './logger.js';
import { prepareServices } from './prepareServices.js';

type ServiceVar = 'TEMPORAL_ADDRESS' | 'DATABASE_URL' | 'SIM_CARRIER_URL' | 'GATEWAY_URL';

/**
 * For a component run on its own (`npm run api`, `npm run worker`): its
 * services must be named in the environment (`npm start` starts them
 * instead), and are readied (schema, search attributes) before use.
 */
export async function requireServices<K extends ServiceVar>(
  config: Config,
  extra: K[],
  who: string,
  log: Logger,
): Promise<Record<K | 'TEMPORAL_ADDRESS' | 'DATABASE_URL', string>> {
  const names = ['TEMPORAL_ADDRESS', 'DATABASE_URL', ...extra] as (
    K | 'TEMPORAL_ADDRESS' | 'DATABASE_URL'
  )[];
  const missing = names.filter((n) => !config[n]);
  if (missing.length > 0) {
    process.stderr.write(
      `${who} needs ${missing.join(', ')} set (run \`npm start\` to start everything on embedded defaults)\n`,
    );
    process.exit(2);
  }
  const services = Object.fromEntries(names.map((n) => [n, config[n]!])) as Record<
    K | 'TEMPORAL_ADDRESS' | 'DATABASE_URL',
    string
  >;
  await prepareServices(
    {
      temporalAddress: services.TEMPORAL_ADDRESS,
      namespace: config.TEMPORAL_NAMESPACE,
      databaseUrl: services.DATABASE_URL,
    },
    (msg) => log.info(msg),
  );
  return services;
}
