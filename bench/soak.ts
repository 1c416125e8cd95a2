import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { ACME_TEAM_ID } from '../src/index.ts';
import { loadInWorker } from './load-worker.ts';
import { BENCH_PATH, cliTarget, prepareSandbox } from './targets.ts';

/**
 * Soak (issue 13: "10 minutes at full speed with mixed reads, writes, errors and namespaces. RSS
 * stays flat within 10 %, and nothing grows without bound"). Runs the sandbox's command (the CLI,
 * logging every request) with the bench's snapshot, and drives it with 20 keep-alive connections
 * at full speed over a fixed mix of requests:
 * - reads in the default namespace (workflow and execution pages, rotating the bench tokens);
 * - errors: 404 (unknown workflow), 400 (a body that fails validation, rolled back), 401 (no
 *   credentials), 500 (`X-Sandbox-Scenario: server-error`);
 * - writes and reads in 100 rotating `X-Sandbox-Namespace` namespaces (a workflow created, an
 *   execution started, a page read), more than the 50 the sandbox keeps, so namespaces are made
 *   and dropped all the time.
 * Writes go to namespaces because a write keeps what it wrote: a created workflow and its audit
 * entry stay until a reset, in the sandbox as in NodeLoom, so writes aimed at one namespace for
 * ten minutes would grow it by design. The command's RSS (`/proc/<pid>/status` VmRSS) is sampled
 * every 10 s; growth compares the median of the first third of the samples after one minute (warm:
 * JIT, caches and the namespace ring full) with the median of the last third.
 * `npm run soak` (`--minutes 10`), or `npm run bench -- --only soak`.
 */

/** The aim: RSS growth from the warm baseline to the peak, percent. */
export const SOAK_GROWTH_AIM_PERCENT = 10;

/** One soak run's figures. */
export interface SoakResult {
  minutes: number;
  requests: number;
  rps: number;
  statuses: Record<string, number>;
  errors: number;
  /** [seconds since the start, RSS MB] every 10 s. */
  samples: Array<[number, number]>;
  /** Median RSS of the first and of the last third of the samples after the warm-up minute, MB. */
  firstThirdMb: number;
  lastThirdMb: number;
  /** Lowest and highest RSS after the warm-up minute, MB. */
  minMb: number;
  maxMb: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The soak's request mix for a server on 127.0.0.1:`port`, as complete HTTP/1.1 requests (used round-robin). */
export function requestMix(port: number, tokens: readonly string[]): string[] {
  const host = `Host: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n`;
  const get = (path: string, headers = '') => `GET ${path} HTTP/1.1\r\n${host}${headers}Accept: application/json\r\n\r\n`;
  const post = (path: string, body: string, headers = '') =>
    `POST ${path} HTTP/1.1\r\n${host}${headers}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const auth = (token: string) => `Authorization: Bearer ${token}\r\n`;
  const mix: string[] = [];
  for (let i = 0; i < 100; i += 1) {
    const token = tokens[i % tokens.length]!;
    const namespace = `X-Sandbox-Namespace: soak-${String(i).padStart(3, '0')}\r\n${auth('sdk_sandbox_admin')}`;
    mix.push(
      get(BENCH_PATH, auth(token)),
      get(`/api/executions?teamId=${ACME_TEAM_ID}&page=0&size=20`, auth(token)),
      get(BENCH_PATH, auth(token)),
      get('/api/workflows/00000000-0000-4000-8000-00000000dead', auth(token)),
      post('/api/workflows', JSON.stringify({ teamId: ACME_TEAM_ID }), auth(token)),
      get(BENCH_PATH),
      get(BENCH_PATH, `${auth(token)}X-Sandbox-Scenario: server-error\r\n`),
      post('/api/workflows', JSON.stringify({ name: `soak ${i}`, teamId: ACME_TEAM_ID }), namespace),
      get(BENCH_PATH, namespace),
      get(`/api/executions?teamId=${ACME_TEAM_ID}&page=0&size=20&status=FAILED`, namespace),
    );
  }
  return mix;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return kb / 1024;
}

/**
 * Runs the soak.
 * @param minutes how long to load the server (default 10)
 */
export async function measureSoak(minutes = 10): Promise<SoakResult> {
  const bench = await prepareSandbox(63);
  const target = await cliTarget(bench);
  const pid = target.pid!;
  // A running clock: with the bench's frozen one, rate-limit windows would never roll over and
  // every token would be spent for good after its 5,000 calls.
  const resumed = await fetch(`http://127.0.0.1:${target.port}/__sandbox/clock`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ frozen: false }),
  });
  if (resumed.status !== 200) throw new Error(`PUT /__sandbox/clock answered ${resumed.status}: ${await resumed.text()}`);
  const started = performance.now();
  const samples: Array<[number, number]> = [[0, rssMb(pid)]];
  const sampler = setInterval(() => samples.push([Math.round((performance.now() - started) / 1000), rssMb(pid)]), 10_000);
  try {
    const result = await loadInWorker({
      host: '127.0.0.1',
      port: target.port,
      requests: requestMix(target.port, bench.tokens),
      connections: 20,
      warmupMs: 0,
      durationMs: minutes * 60_000,
    });
    samples.push([Math.round((performance.now() - started) / 1000), rssMb(pid)]);
    // After the warm-up, the first third of the samples against the last third, by median: the
    // garbage collector swings RSS by tens of MB from one sample to the next, so a single peak says
    // little; growth shows as a later third that sits higher than the first.
    const warm = samples.filter(([seconds]) => seconds >= Math.min(60, minutes * 30));
    const third = Math.max(1, Math.floor(warm.length / 3));
    const mb = warm.map(([, value]) => value);
    return {
      minutes,
      requests: result.requests,
      rps: result.rps,
      statuses: result.statuses,
      errors: result.errors,
      samples,
      firstThirdMb: median(mb.slice(0, third)),
      lastThirdMb: median(mb.slice(-third)),
      minMb: Math.min(...mb),
      maxMb: Math.max(...mb),
    };
  } finally {
    clearInterval(sampler);
    await target.close();
  }
}

/** Prints the soak section. */
export function printSoak(r: SoakResult): void {
  console.log(`\nsoak: the CLI at full speed for ${r.minutes} min, 20 connections, mixed reads, writes, errors and 100 rotating namespaces`);
  const statuses = Object.entries(r.statuses).map(([status, n]) => `${status}×${n}`).join(' ');
  console.log(`  ${r.requests.toLocaleString('en-US')} requests, ${Math.round(r.rps).toLocaleString('en-US')} req/s, ${statuses}${r.errors ? `, socket errors×${r.errors}` : ''}`);
  const minute = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  const every = Math.max(1, Math.floor(r.samples.length / 12));
  console.log(`  RSS MB over time: ${r.samples.filter((_, i) => i % every === 0 || i === r.samples.length - 1).map(([s, mb]) => `${minute(s)} ${mb.toFixed(0)}`).join(', ')}`);
  const growth = ((r.lastThirdMb - r.firstThirdMb) / r.firstThirdMb) * 100;
  console.log(
    `  RSS after the warm-up minute: ${r.minMb.toFixed(0)}–${r.maxMb.toFixed(0)} MB (garbage-collector swings); median of the first third ` +
      `${r.firstThirdMb.toFixed(0)} MB, of the last third ${r.lastThirdMb.toFixed(0)} MB: growth ${growth.toFixed(1)} % (aim: at most ${SOAK_GROWTH_AIM_PERCENT} %)`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' } } });
  const minutes = Number(values.minutes);
  if (!Number.isFinite(minutes) || minutes <= 0) {
    console.error(`--minutes must be a positive number, got '${values.minutes}'`);
    process.exit(2);
  }
  printSoak(await measureSoak(minutes));
  process.exit(0);
}
