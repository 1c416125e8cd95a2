// @ts-check
import { ACME_TEAM_ID, createSandbox } from '../dist/index.js';

/**
 * The child process of bench/large.ts: one sandbox on one data set (`default` or `large`, the first
 * argument; the sandbox's start time, ISO-8601, the second), measured in its own process so RSS is
 * the sandbox's own. It runs the built package (dist/, what `npm start` and an installed package
 * run) with plain node and the node flags `npm start` passes: no TypeScript loader in the process.
 * Through tsx, the loader and the transformed sources added about 35-70 MB of RSS on the large data
 * set (2026-12-03: 339 MB after start on dist with the flag, 376-409 MB through tsx). Prints one JSON
 * line ({@link import('./large.ts').ProbeResult}) on stdout. Run by `measureLarge()`; alone, after
 * `npm run build`: `node --expose-gc --max-semi-space-size=32 bench/large-probe.mjs large 2026-11-01T12:00:00.000Z`.
 */

/** @typedef {import('./large.ts').ProbeResult} ProbeResult */
/** @typedef {ReturnType<typeof createSandbox>} Sandbox */

const AUTH = { authorization: 'Bearer sdk_sandbox_admin' };
const DAY = 86_400_000;

/**
 * @param {Sandbox} sandbox
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<Response>}
 */
async function send(sandbox, method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { ...AUTH };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return sandbox.fetch(new Request(`http://bench.test${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
}

/** @param {() => Promise<Response>} fn @returns {Promise<number>} ms */
async function timed(fn, expected = 200) {
  const started = performance.now();
  const response = await fn();
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== expected) throw new Error(`bench/large-probe.mjs: expected ${expected}, got ${response.status}`);
  return elapsed;
}

/** @param {number} runs @param {number} warmup @param {() => Promise<Response>} fn @returns {Promise<number>} ms */
async function medianOf(runs, warmup, fn) {
  /** @type {number[]} */
  const samples = [];
  for (let i = 0; i < warmup + runs; i++) {
    const ms = await timed(fn);
    if (i >= warmup) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return /** @type {number} */ (samples[Math.floor(samples.length / 2)]);
}

/** @type {() => void} */
const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc ?? (() => undefined);

/**
 * Reads an export to its end, sampling heapUsed every 256 KB read. With `collect`, runs a GC before
 * each sample (every ~1 MB), so the figure is the memory the export holds rather than garbage.
 * @param {Sandbox} sandbox
 * @param {string} query
 * @returns {Promise<{ rows: number; bytes: number; ms: number; peakHeap: number }>} bytes, ms, heap bytes
 */
async function readExport(sandbox, query, collect = false) {
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const started = performance.now();
  const response = await send(sandbox, 'GET', `/api/executions/team/${ACME_TEAM_ID}/export?${query}`);
  if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
  let bytes = 0;
  let rows = 0;
  let sampled = 0;
  const reader = /** @type {ReadableStream<Uint8Array>} */ (response.body).getReader();
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
  // The last sample too is taken after a GC when collecting: without it, the figure was whatever
  // garbage the young generation held at the end (the bench's flat/GROWS verdict flipped between runs).
  if (collect) gc();
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { rows: rows - 1, bytes, ms, peakHeap: peak - before };
}

/** @param {string} dataset @param {string} now ISO-8601 @returns {Promise<ProbeResult>} */
async function probe(dataset, now) {
  const EPOCH = Date.parse(now);
  const started = performance.now();
  const sandbox = createSandbox({ now, scenarios: dataset === 'default' ? [] : [dataset] });
  await sandbox.ready;
  const startMs = performance.now() - started;
  const rssStart = process.memoryUsage().rss;
  // Enterprise plan: 5,000 requests/min per token, so the workload is never rate limited.
  await sandbox.state.db.teams.update(ACME_TEAM_ID, { plan: 'ENTERPRISE' });
  const executions = sandbox.state.db.executions.count();

  const listPath = `/api/executions?teamId=${ACME_TEAM_ID}&page=0&size=20`;
  const from = new Date(EPOCH - 30 * DAY).toISOString();
  const filterPath = `/api/executions?teamId=${ACME_TEAM_ID}&status=FAILED&from=${from}&page=0&size=20`;
  const listMs = await medianOf(40, 20, () => send(sandbox, 'GET', listPath));
  const filterMs = await medianOf(40, 20, () => send(sandbox, 'GET', filterPath));

  const workflows = sandbox.state.db.workflows.filter((w) => w.teamId === ACME_TEAM_ID).map((w) => w.id);
  /** @param {number} i */
  const execute = (i) => send(sandbox, 'POST', `/api/workflows/${workflows[i % workflows.length]}/execute`, { bench: i });
  /** @param {number} i */
  const warm = (i) =>
    sandbox.fetch(
      new Request(`http://bench.test/api/workflows/${workflows[i % workflows.length]}/execute`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json', 'x-sandbox-namespace': 'warm-up' },
        body: '{}',
      }),
    );
  for (let i = 0; i < 30; i++) await timed(() => warm(i));
  const firstWriteMs = await timed(() => execute(0));
  /** @type {number[]} */
  const writes = [];
  for (let i = 1; i <= 30; i++) writes.push(await timed(() => execute(i)));
  writes.sort((a, b) => a - b);
  const writeMs = /** @type {number} */ (writes[Math.floor(writes.length / 2)]);

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

const [dataset = 'large', now] = process.argv.slice(2);
if (!now) throw new Error('bench/large-probe.mjs: pass the data set and the start time (ISO-8601)');
process.stdout.write(`${JSON.stringify(await probe(dataset, now))}\n`);
