import { ACME_TEAM_ID, createSandbox, type Sandbox } from '../src/index.ts';
import { BENCH_NOW } from './targets.ts';

/**
 * The child process of bench/large.ts: one sandbox on one data set (`default` or `large`, the first
 * argument), measured in its own process so RSS is the sandbox's own. Prints one JSON line
 * ({@link ProbeResult}) on stdout. Run by `measureLarge()`; alone: `node --expose-gc --import tsx bench/large-probe.ts large`.
 */

/** What one probe measures; times in ms, memory in bytes. */
export interface ProbeResult {
  dataset: string;
  executions: number;
  /** ms from createSandbox to `ready`. */
  startMs: number;
  /** RSS once ready (no forced GC). */
  rssStart: number;
  /** Median ms of an execution list page (page 0, size 20). */
  listMs: number;
  /** Median ms of a filtered page (status=FAILED and a 30-day window). */
  filterMs: number;
  /**
   * The first write (an execute) on the fresh data set, after 30 executes in another namespace
   * warmed the write path up (so cold JIT is not counted, only what the data set costs).
   */
  firstWriteMs: number;
  /** Median of the following writes (executes). */
  writeMs: number;
  /** RSS after the mixed workload (no forced GC). */
  rssMixed: number;
  /** Full CSV export: rows, bytes, ms, and heap growth above the start of the export at its peak. */
  exportRows: number;
  exportBytes: number;
  exportMs: number;
  exportPeakHeap: number;
  /** The same for an export of about a tenth of the rows (a date window). */
  smallExportRows: number;
  smallExportPeakHeap: number;
  /** Live heap growth (after a GC every ~1 MB read) at its largest during each export. */
  exportLiveHeap: number;
  smallExportLiveHeap: number;
}

const AUTH = { authorization: 'Bearer sdk_sandbox_admin' };
const EPOCH = Date.parse(BENCH_NOW);
const DAY = 86_400_000;

async function send(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { ...AUTH };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return sandbox.fetch(new Request(`http://bench.test${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
}

async function timed(fn: () => Promise<Response>, expected = 200): Promise<number> {
  const started = performance.now();
  const response = await fn();
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== expected) throw new Error(`bench/large-probe.ts: expected ${expected}, got ${response.status}`);
  return elapsed;
}

async function medianOf(runs: number, warmup: number, fn: () => Promise<Response>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const ms = await timed(fn);
    if (i >= warmup) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/**
 * Reads an export to its end, sampling heapUsed every 256 KB read. With `collect`, runs a GC before
 * each sample (every ~1 MB), so the figure is the memory the export holds rather than garbage.
 */
async function readExport(sandbox: Sandbox, query: string, collect = false): Promise<{ rows: number; bytes: number; ms: number; peakHeap: number }> {
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const started = performance.now();
  const response = await send(sandbox, 'GET', `/api/executions/team/${ACME_TEAM_ID}/export?${query}`);
  if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
  let bytes = 0;
  let rows = 0;
  let sampled = 0;
  const reader = response.body!.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    bytes += chunk.value.byteLength;
    for (const byte of chunk.value) if (byte === 10) rows++;
    if (bytes - sampled >= (collect ? 1024 : 256) * 1024 || sampled === 0) {
      sampled = bytes;
      if (collect) gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
  }
  const ms = performance.now() - started;
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { rows: rows - 1, bytes, ms, peakHeap: peak - before };
}

async function probe(dataset: string): Promise<ProbeResult> {
  const started = performance.now();
  const sandbox = createSandbox({ now: BENCH_NOW, scenarios: dataset === 'default' ? [] : [dataset] });
  await sandbox.ready;
  const startMs = performance.now() - started;
  const rssStart = process.memoryUsage().rss;
  // Enterprise plan: 5,000 requests/min per token, so the workload is never rate limited.
  await sandbox.state.db.teams.update(ACME_TEAM_ID, { plan: 'ENTERPRISE' } as never);
  const executions = sandbox.state.db.executions.count();

  const listPath = `/api/executions?teamId=${ACME_TEAM_ID}&page=0&size=20`;
  const from = new Date(EPOCH - 30 * DAY).toISOString();
  const filterPath = `/api/executions?teamId=${ACME_TEAM_ID}&status=FAILED&from=${from}&page=0&size=20`;
  const listMs = await medianOf(40, 20, () => send(sandbox, 'GET', listPath));
  const filterMs = await medianOf(40, 20, () => send(sandbox, 'GET', filterPath));

  const workflows = sandbox.state.db.workflows.filter((w) => w.teamId === ACME_TEAM_ID).map((w) => w.id);
  const execute = (i: number) => send(sandbox, 'POST', `/api/workflows/${workflows[i % workflows.length]}/execute`, { bench: i });
  const warm = (i: number) =>
    sandbox.fetch(
      new Request(`http://bench.test/api/workflows/${workflows[i % workflows.length]}/execute`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json', 'x-sandbox-namespace': 'warm-up' },
        body: '{}',
      }),
    );
  for (let i = 0; i < 30; i++) await timed(() => warm(i));
  const firstWriteMs = await timed(() => execute(0));
  const writes: number[] = [];
  for (let i = 1; i <= 30; i++) writes.push(await timed(() => execute(i)));
  writes.sort((a, b) => a - b);
  const writeMs = writes[Math.floor(writes.length / 2)]!;

  // Mixed workload: pages, filters, details, executes, cancels, creates, a small export.
  for (let round = 0; round < 300; round++) {
    const page = round % 50;
    const list = await (await send(sandbox, 'GET', `/api/executions?teamId=${ACME_TEAM_ID}&page=${page % 5}&size=20`)).json();
    await (await send(sandbox, 'GET', `/api/executions?teamId=${ACME_TEAM_ID}&status=SUCCESS&page=${page}&size=20`)).arrayBuffer();
    const first = list.content[0];
    if (first) await (await send(sandbox, 'GET', `/api/executions/${first.id}`)).arrayBuffer();
    const run = await (await execute(round)).json();
    if (round % 3 === 0) await (await send(sandbox, 'POST', `/api/executions/${run.id ?? run.executionId}/cancel`)).arrayBuffer();
    if (round % 10 === 0) await (await send(sandbox, 'POST', '/api/workflows', { name: `Bench ${round}`, teamId: ACME_TEAM_ID })).arrayBuffer();
    if (round % 50 === 0) await (await send(sandbox, 'GET', `/api/executions/team/${ACME_TEAM_ID}/export?from=${new Date(EPOCH - DAY).toISOString()}`)).arrayBuffer();
  }
  const rssMixed = process.memoryUsage().rss;

  const full = await readExport(sandbox, 'format=csv');
  const smallQuery = `format=csv&from=${new Date(EPOCH - 9 * DAY).toISOString()}`;
  const small = await readExport(sandbox, smallQuery);
  const fullLive = await readExport(sandbox, 'format=csv', true);
  const smallLive = await readExport(sandbox, smallQuery, true);
  return {
    dataset,
    executions,
    startMs,
    rssStart,
    listMs,
    filterMs,
    firstWriteMs,
    writeMs,
    rssMixed,
    exportRows: full.rows,
    exportBytes: full.bytes,
    exportMs: full.ms,
    exportPeakHeap: full.peakHeap,
    smallExportRows: small.rows,
    smallExportPeakHeap: small.peakHeap,
    exportLiveHeap: fullLive.peakHeap,
    smallExportLiveHeap: smallLive.peakHeap,
  };
}

process.stdout.write(`${JSON.stringify(await probe(process.argv[2] ?? 'large'))}\n`);
