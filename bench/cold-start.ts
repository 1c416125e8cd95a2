import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ACME_TEAM_ID } from '../fixtures/identities.ts';
import { freePort, startNodeFlags } from './processes.ts';

/**
 * Cold start (issue 11: "npm start to the first 200 under 1 s"): the time from spawning the built
 * command (`node bin/nodeloom-sandbox.js`, which runs dist/cli.mjs: no TypeScript compiled at run
 * time) to the first 200 of an authenticated `GET /api/workflows` page, next to a bare
 * `node:http` server's spawn to its first 200 in the same run, so the ratio holds on a noisy
 * machine. Runs alternate between the two; medians are reported. Needs dist/ (`npm run build`).
 * `npm run bench` prints it last; `npm run bench -- --only cold-start` runs it alone.
 */

/** The aim: the sandbox's first 200 within this many ms of its start. */
export const COLD_START_TARGET_MS = 1_000;

const BIN = fileURLToPath(new URL('../bin/nodeloom-sandbox.js', import.meta.url));
const BARE = `require('node:http').createServer((req, res) => res.end('{}')).listen(Number(process.argv[1]), '127.0.0.1')`;

/** Median, min and max of one kind of start, ms. */
export interface ColdStartTiming {
  name: string;
  runs: number;
  median: number;
  min: number;
  max: number;
}


/** Spawns `args` and polls `url` every 5 ms until it answers 200. @returns ms from spawn to that 200 */
async function timeToFirst200(args: string[], url: (port: number) => string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...args, String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} before answering: ${stderr}`);
      if (performance.now() - started > 30_000) throw new Error(`no 200 within 30 s: ${stderr}`);
      try {
        const response = await fetch(url(port), { headers: { authorization: 'Bearer sdk_sandbox_admin' } });
        await response.arrayBuffer();
        if (response.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill('SIGKILL');
  }
}

function summary(name: string, samples: number[]): ColdStartTiming {
  const sorted = [...samples].sort((a, b) => a - b);
  return { name, runs: sorted.length, median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Measures both starts `runs` times, alternating (the first, warming the file cache, is not counted). */
export async function measureColdStart(options: { runs: number }): Promise<ColdStartTiming[]> {
  const sandbox: number[] = [];
  const bare: number[] = [];
  const sandboxArgs = [...startNodeFlags(), BIN, '--quiet', '--host', '127.0.0.1', '--port'];
  const bareArgs = ['-e', BARE];
  const page = (port: number) => `http://127.0.0.1:${port}/api/workflows?teamId=${ACME_TEAM_ID}&size=20`;
  await timeToFirst200(sandboxArgs, page);
  await timeToFirst200(bareArgs, page);
  for (let i = 0; i < options.runs; i += 1) {
    sandbox.push(await timeToFirst200(sandboxArgs, page));
    bare.push(await timeToFirst200(bareArgs, page));
  }
  return [summary('npm start (node bin/nodeloom-sandbox.js)', sandbox), summary('bare node:http server', bare)];
}

/** Prints the cold-start table and the ratio. */
export function printColdStart([sandbox, bare]: ColdStartTiming[]): void {
  console.log(`\n  cold start to the first 200 (${sandbox!.runs} runs)     median ms   min ms   max ms`);
  for (const t of [sandbox!, bare!]) {
    console.log(`  ${t.name.padEnd(42)} ${t.median.toFixed(0).padStart(9)} ${t.min.toFixed(0).padStart(8)} ${t.max.toFixed(0).padStart(8)}`);
  }
  console.log(`  sandbox / bare node:http = ${(sandbox!.median / bare!.median).toFixed(1)}   (aim: sandbox under ${COLD_START_TARGET_MS} ms)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  printColdStart(await measureColdStart({ runs: Number(values.runs) }));
}
