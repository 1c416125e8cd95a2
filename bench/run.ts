import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { loadInWorker } from './load-worker.ts';
import type { LoadResult } from './load.ts';
import { BENCH_PATH, expressPlainTarget, nodeHttpTarget, prepareSandbox, sandboxTarget, type Target } from './targets.ts';
import { measureReset, printReset } from './reset.ts'; // reset section (bench/reset.ts)
import { measureAuditCost, printAuditCost } from './audit.ts'; // audit cost section (bench/audit.ts)
import { measureGuardrails, printGuardrails } from './guardrails.ts'; // guardrails section (bench/guardrails.ts)
import { measureColdStart, printColdStart } from './cold-start.ts'; // cold-start section
import { measureLarge, printLarge } from './large.ts'; // large data set section (bench/large.ts)

/**
 * `npm run bench`: requests/s and p50/p99 latency of an authenticated `GET /api/workflows` page
 * of 20 through the sandbox's express host, next to a plain express 5 route and a bare node:http
 * server sending the same bytes, in one run, with the same connections and durations, on
 * loopback only. Options: `--connections 20 --warmup 3 --duration 5 --tokens 63` (seconds).
 * The warm-up is 3 s, not 1 s: the sandbox path needs about 10,000 requests before V8 has
 * optimised it (measured in-process: 289 µs/request over the first 5,000, 74 µs by the third 5,000),
 * and a 1 s warm-up measured part of that JIT ramp as if it were the sandbox's speed.
 */

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    tokens: { type: 'string', default: '63' },
  },
});
const connections = positive('connections', values.connections);
const warmupMs = positive('warmup', values.warmup) * 1000;
const durationMs = positive('duration', values.duration) * 1000;

const bench = await prepareSandbox(positive('tokens', values.tokens));
const targets: Target[] = [
  await nodeHttpTarget(bench.body, bench.headers),
  await expressPlainTarget(bench.body, bench.headers),
  await sandboxTarget(bench.sandbox),
];
const sandboxTargetRef = targets[2]!;

// Same bytes from every server: check once before measuring.
for (const target of targets) {
  const response = await fetch(`http://127.0.0.1:${target.port}${BENCH_PATH}`, { headers: { authorization: 'Bearer sdk_sandbox_admin' } });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200 || !body.equals(bench.body)) {
    throw new Error(`${target.name} answered ${response.status} with ${body.length} bytes; expected 200 with the ${bench.body.length} precomputed bytes`);
  }
}

console.log(`nodeloom-sandbox bench: GET ${BENCH_PATH}`);
console.log(
  `  ${connections} keep-alive connections, ${warmupMs / 1000} s warm-up + ${durationMs / 1000} s measured per server, loopback, ` +
    `node ${process.version}, ${availableParallelism()} cores (load generator in a worker thread)`,
);
console.log(`  body ${bench.body.length} bytes (20 workflows), identical from all three servers`);
console.log(
  `  rate limit: Acme moved to ENTERPRISE (5,000/min per token) and ${bench.tokens.length} Acme admin tokens rotated ` +
    `(sdk_sandbox_admin + ${bench.tokens.length - 1} bench tokens), so the full pipeline runs and answers 200\n`,
);

const results: Array<[Target, LoadResult]> = [];
for (const target of targets) {
  const requests = bench.tokens.map(
    (token) =>
      `GET ${BENCH_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nAuthorization: Bearer ${token}\r\nAccept: application/json\r\nConnection: keep-alive\r\n\r\n`,
  );
  results.push([target, await loadInWorker({ host: '127.0.0.1', port: target.port, requests, connections, warmupMs, durationMs })]);
}
await Promise.all(targets.map((target) => target.close()));

const rows = results.map(([target, r]) => [
  target.name,
  Math.round(r.rps).toLocaleString('en-US'),
  r.p50.toFixed(2),
  r.p99.toFixed(2),
  Object.entries(r.statuses)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ') + (r.errors ? ` errors×${r.errors}` : ''),
]);
printTable([['server', 'req/s', 'p50 ms', 'p99 ms', 'responses'], ...rows]);

const rps = (target: Target) => results.find(([t]) => t === target)![1].rps;
const sandboxRps = rps(sandboxTargetRef);
console.log(`\n  sandbox / express-plain = ${(sandboxRps / rps(targets[1]!)).toFixed(2)}`);
console.log(`  sandbox / node-http     = ${(sandboxRps / rps(targets[0]!)).toFixed(2)}`);
const sandboxStatuses = results[2]![1].statuses;
const non200 = Object.entries(sandboxStatuses).filter(([status]) => status !== '200');
if (non200.length > 0) {
  console.log(`\n  WARNING: the sandbox answered non-200 statuses (${non200.map(([s, n]) => `${s}×${n}`).join(', ')}); raise --tokens.`);
  process.exitCode = 1;
}

// --- reset section (bench/reset.ts): sandbox.reset() and POST /__sandbox/reset, target < 50 ms ---
printReset(await measureReset({ runs: 30, warmup: 5 }));
// --- end reset section ---

// --- audit cost section (bench/audit.ts): a workflow create with the audit step against audit: false ---
printAuditCost(await measureAuditCost());
// --- end audit cost section ---
// --- guardrails section (bench/guardrails.ts): adversarial vs ordinary 100,000-character checks ---
printGuardrails(await measureGuardrails());
// --- end guardrails section ---
// --- large data set section (bench/large.ts): list/filter pages, first write, RSS, CSV export; large vs default ---
printLarge(await measureLarge());
// --- end large data set section ---

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--${name} must be a positive number, got '${text}'`);
    process.exit(2);
  }
  return value;
}

function printTable(table: string[][]): void {
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  for (const [index, row] of table.entries()) {
    console.log(`  ${row.map((cell, column) => (column === 0 || column === 4 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('   ')}`.trimEnd());
    if (index === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('   ')}`);
  }
}

// --- cold-start section (bench/cold-start.ts): spawn to the first 200, next to a bare node:http ---
printColdStart(await measureColdStart({ runs: 5 }));
// --- end cold-start section ---
