import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: makes sure dist/ (the built package the CLI and the packaging tests run) is
 * at least as new as its sources, building it once (`npm run build`, tsdown) before any test file
 * starts when it is missing or stale. After `npm install` / `npm ci` (whose `prepare` builds) this
 * is one directory walk. Other tests import the TypeScript sources directly (vitest.config.ts alias).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = ['src', 'fixtures', 'scenarios', 'tsdown.config.ts', 'package.json'];
const OUTPUTS = ['dist/cli.mjs', 'dist/index.js', 'dist/index.cjs', 'dist/client.d.ts'];

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

export default function setup(): void {
  if (!distIsStale()) return;
  process.stdout.write('[nodeloom-sandbox] dist/ is older than src/: building it once (npm run build)\n');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/tsdown/dist/run.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
