import path from 'node:path';
import type { Config } from '../config/env.js';
import { embeddedBinDir } from '../store/postgres/binaries.js';
import { LocalPostgres, traversableByOthers } from '../store/postgres/localCluster.js';
import { findTemporalCli } from '../temporal/cliBinary.js';
import { DevServer } from '../temporal/devServer.js';
import { startCarrierProcess } from './carrierProcess.js';
import { freePort, portIsFree } from './freePort.js';
import { prepareServices } from './prepareServices.js';
import { createHash } from 'node:crypto';

export interface Stack {
  temporalAddress: string;
  temporalUiUrl: string | undefined;
  databaseUrl: string;
  carrierUrl: string;
  /** Where the carrier started here writes each call's ground truth; undefined for an external carrier. */
  truthDir: string | undefined;
  /** The started carrier's SIP address (sip:carrier@host:port), when SIM_SIP_PORT asked for one. */
  carrierSip: string | undefined;
  stop(): Promise<void>;
}

/**
 * Brings up what the configuration does not point at: a Temporal dev server,
 * an embedded PostgreSQL, the simulated carrier. What is configured is used
 * as it is. Stopping stops only what was started here.
 */
export async function startStack(config: Config, log: (msg: string) => void): Promise<Stack> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    let temporalAddress = config.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | undefined;
    if (!temporalAddress) {
      const cli = await findTemporalCli(process.env, log);
      // Another Hold Slayer (or Temporal) may hold the usual UI port: then take any free one.
      let uiPort = config.TEMPORAL_UI_PORT;
      if (!(await portIsFree(uiPort))) {
        uiPort = await freePort();
        log(`port ${config.TEMPORAL_UI_PORT} is taken; the Temporal UI will be on ${uiPort}`);
      }
      const server = await DevServer.start({
        cli,
        uiPort,
        dbFile: path.join(config.dataDir, 'temporal', 'dev-server.sqlite'),
        namespace: config.TEMPORAL_NAMESPACE,
        log,
      });
      stops.push(() => server.stop());
      temporalAddress = server.address;
      temporalUiUrl = server.uiUrl;
    }
    const database = await startDatabase(config, log);
    stops.push(database.stop);
    const databaseUrl = database.url;
    await prepareServices(
      { temporalAddress, namespace: config.TEMPORAL_NAMESPACE, databaseUrl },
      log,
    );

    let carrierUrl = config.SIM_CARRIER_URL;
    let truthDir: string | undefined;
    let carrierSip: string | undefined;
    if (!carrierUrl) {
      const carrier = await startCarrierProcess({
        scenarios: config.SIM_SCENARIOS.split(':'),
        truthDir: path.join(config.dataDir, 'carrier', 'calls'),
        logFile: path.join(config.dataDir, 'logs', 'carrier.log'),
        extraArgs: [
          '--caption-wer',
          String(config.SIM_CAPTION_WER),
          '--answer-after-ms',
          String(config.SIM_USER_ANSWER_MS),
          ...(config.SIM_LINE ? ['--line', config.SIM_LINE] : []),
          ...(config.SIM_SIP_PORT ? ['--sip-port', String(config.SIM_SIP_PORT)] : []),
        ],
      });
      stops.push(() => carrier.stop());
      carrierUrl = carrier.url;
      truthDir = carrier.truthDir;
      carrierSip = carrier.sip;
      log(`simulated carrier on ${carrierUrl}${carrierSip ? `, SIP on ${carrierSip}` : ''}`);
    }
    return { temporalAddress, temporalUiUrl, databaseUrl, carrierUrl, truthDir, carrierSip, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The configured PostgreSQL, or the embedded one (started here, with the data of earlier runs). */
export async function startDatabase(
  config: Config,
  log: (msg: string) => void,
): Promise<{ url: string; stop(): Promise<void> }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, stop: async () => undefined };
  const database = await LocalPostgres.start({
    binDir: embeddedBinDir(),
    dataDir: embeddedDataDir(config.dataDir),
    log,
  });
  return { url: database.url, stop: () => database.stop() };
}

/**
 * The embedded server's data folder. As root it runs as an unprivileged
 * user, who must be able to reach the folder: if the data folder is under a
 * private home, the cluster lives under /var/tmp instead.
 */
function embeddedDataDir(dataDir: string): string {
  const preferred = path.join(dataDir, 'postgres');
  if (process.getuid?.() !== 0 || traversableByOthers(dataDir)) return preferred;
  const tag = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  return path.join('/var/tmp/holdslayer', tag, 'postgres');
}
