import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * dist/ (the built package) for the tests that run it: the CLI tests (the bin runs dist/cli.mjs)
 * and test/package.test.ts. {@link ensureDist} builds it (`tsdown`, as `npm run build`) when it is
 * missing or older than a source file; after `npm install` / `npm ci` (whose `prepare` builds) it
 * is one directory walk. Test files run in parallel workers (and the package job of
 * test/setup/global.ts in the main process), so a lock folder lets one build while the others wait.
 * The build runs asynchronously: in vitest's main process a blocking build would stall every worker. Every other test imports the TypeScript sources (vitest.config.ts alias).
 */

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = ['src', 'fixtures', 'scenarios', 'bin', 'build', 'tsdown.config.ts', 'package.json'];
const OUTPUTS = ['dist/cli.mjs', 'dist/index.js', 'dist/cjs/index.cjs', 'dist/client.d.ts', 'dist/msw.d.cts'];
const LOCK = join(ROOT, 'node_modules', '.nodeloom-sandbox-build.lock');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

/** Whether dist/ is missing or older than any source file. */
export function distIsStale(): boolean {
  if (!OUTPUTS.every((file) => existsSync(join(ROOT, file)))) return true;
  const built = Math.min(...OUTPUTS.map((file) => statSync(join(ROOT, file)).mtimeMs));
  return Math.max(...SOURCES.map((source) => newest(join(ROOT, source)))) > built;
}

/** Builds dist/ unless it is up to date (waits while another test file builds it). @throws Error when the build fails */
export async function ensureDist(): Promise<void> {
  for (let waited = 0; waited < 180_000; waited += 200) {
    if (!distIsStale()) return;
    try {
      mkdirSync(LOCK);
    } catch {
      // Another worker is building (or a stale lock from a killed run older than 3 minutes).
      const lock = statSync(LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > 180_000) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    try {
      if (distIsStale()) await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/tsdown/dist/run.mjs')], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
    return;
  }
  throw new Error('dist/ was not built within 3 minutes: run npm run build');
}
