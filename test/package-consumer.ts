import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './setup/dist.ts';

/**
 * A temporary consumer project for test/package.test.ts: the packed tarball installed with npm, as
 * a user's project would, offline. The consumer's package-lock.json is written from this
 * repository's own lockfile (the same versions, found in the npm cache that `npm ci` filled), so
 * `npm ci --offline` installs the tarball, its dependencies and the peers the consumer asks for
 * without the network. The tools (tsc, vitest, jest) run from this repository's node_modules.
 */

export const run = promisify(execFile);

type LockEntry = {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
};

/** The lock path a package at `from` reaches `name` by (node's upward node_modules lookup). */
function resolveIn(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/** The lock entries `roots` need, with everything they depend on (optional ones when locked). */
function closure(packages: Record<string, LockEntry>, roots: Record<string, string>, seed: LockEntry): Record<string, LockEntry> {
  const out: Record<string, LockEntry> = {};
  const queue: Array<[string, string]> = Object.keys({ ...roots, ...seed.dependencies }).map((name) => ['', name]);
  while (queue.length) {
    const [from, name] = queue.shift()!;
    const path = resolveIn(packages, from, name);
    if (!path) throw new Error(`${name} (needed by ${from || 'the consumer'}) is not in this repository's package-lock.json`);
    if (out[path]) continue;
    const { dev, devOptional, peer, ...entry } = packages[path]!;
    void dev, void devOptional, void peer;
    out[path] = entry;
    const optionalPeers = new Set(Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n));
    const needs = [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers.has(n))];
    for (const dep of needs) queue.push([path, dep]);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) if (resolveIn(packages, path, dep)) queue.push([path, dep]);
  }
  return out;
}

/**
 * Writes the consumer's package.json and package-lock.json and installs it with `npm ci --offline`.
 * @param dir the consumer folder (holds the files of test/package-consumer/ already)
 * @param tarball the packed tarball's file name, in the folder above `dir`
 * @param extra more packages the consumer depends on (msw, express, @types/...), at this repo's locked versions
 */
export async function installConsumer(dir: string, tarball: string, extra: string[]): Promise<void> {
  const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as LockEntry & { name: string; version: string };
  const versions = Object.fromEntries(extra.map((name) => [name, lock.packages[`node_modules/${name}`]!.version!]));
  const dependencies = { [manifest.name]: `file:../${tarball}`, ...versions };
  const bytes = await readFile(join(dir, '..', tarball));
  const self: LockEntry = {
    version: manifest.version,
    resolved: `file:../${tarball}`,
    integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
    license: manifest.license,
    dependencies: manifest.dependencies,
    peerDependencies: manifest.peerDependencies,
    peerDependenciesMeta: manifest.peerDependenciesMeta,
    bin: { 'nodeloom-sandbox': 'bin/nodeloom-sandbox.js' },
    engines: manifest.engines,
  };
  const packages = { '': { name: 'consumer', version: '1.0.0', dependencies }, ...closure(lock.packages, versions, self), [`node_modules/${manifest.name}`]: self };
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies }, null, 2));
  await writeFile(join(dir, 'package-lock.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));
  await run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, timeout: 120_000 });
}

/** Copies the consumer project's files (scripts, tests, configs) into `dir`. */
export async function copyConsumerFiles(dir: string): Promise<void> {
  await cp(join(ROOT, 'test', 'package-consumer'), dir, { recursive: true });
}
