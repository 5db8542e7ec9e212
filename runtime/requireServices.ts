import type { Config } from '../config/env.js';

type ServiceVar = 'TEMPORAL_ADDRESS' | 'DATABASE_URL' | 'SIM_CARRIER_URL';

/** A component run on its own needs its services named; `npm start` starts them instead. */
export function requireServices<K extends ServiceVar>(
  config: Config,
  names: K[],
  who: string,
): Record<K, string> {
  const missing = names.filter((n) => !config[n]);
  if (missing.length > 0) {
    process.stderr.write(
      `${who} needs ${missing.join(', ')} set (run \`npm start\` to start everything on embedded defaults)\n`,
    );
    process.exit(2);
  }
  return Object.fromEntries(names.map((n) => [n, config[n]!])) as Record<K, string>;
}
