import { http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { pathToFileURL } from 'node:url';
import { createHandlers } from '../src/hosts/msw.ts';
import { BENCH_PATH, prepareSandbox, type BenchSandbox } from './targets.ts';

/**
 * The msw path (issue 13: "at most 1.5× a bare msw handler returning the same JSON, per request,
 * in the same process"). In one process, alternating batches: `fetch` of the bench page through
 * `setupServer(...createHandlers(sandbox))` (the sandbox's msw host, the whole pipeline) against a
 * `setupServer(http.get(url, () => HttpResponse.json(page)))` bare handler returning the same page,
 * and `sandbox.fetch(request)` with no msw for reference. Each batch rotates the bench's tokens, so
 * every sandbox answer is a real 200. `npm run bench` prints it; `npm run bench -- --only msw` runs it alone.
 */

/** The aim: msw with the sandbox per request ÷ a bare msw handler per request. */
export const MSW_RATIO_AIM = 1.5;

/** Median per-request times of the three ways, µs, and the batches measured. */
export interface MswTiming {
  bareMsw: number;
  sandboxMsw: number;
  sandboxFetch: number;
  batches: number;
  batchSize: number;
}

/**
 * Measures the three ways in alternating batches after a warm-up.
 * @param options.batches timed batches per way (default 9); options.batchSize requests per batch (default 300)
 * @param bench a prepared bench sandbox (default: a new one with 63 extra tokens)
 */
export async function measureMsw(options: { batches?: number; batchSize?: number } = {}, bench?: BenchSandbox): Promise<MswTiming> {
  const batches = options.batches ?? 9;
  const batchSize = options.batchSize ?? 300;
  const prepared = bench ?? (await prepareSandbox(63));
  const page: JsonBodyType = JSON.parse(prepared.body.toString('utf8'));
  const url = `https://api.nodeloom.io${BENCH_PATH}`;
  const bare = setupServer(http.get(url.slice(0, url.indexOf('?')), () => HttpResponse.json(page)));
  const sandboxed = setupServer(...createHandlers(prepared.sandbox));
  let next = 0;
  const headers = () => ({ authorization: `Bearer ${prepared.tokens[next++ % prepared.tokens.length]}` });
  const throughMsw = async (server: SetupServer): Promise<number> => {
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const started = performance.now();
      for (let i = 0; i < batchSize; i += 1) {
        const response = await fetch(url, { headers: headers() });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`msw answered ${response.status}`);
      }
      return ((performance.now() - started) * 1000) / batchSize;
    } finally {
      server.close();
    }
  };
  const direct = async (): Promise<number> => {
    const started = performance.now();
    for (let i = 0; i < batchSize; i += 1) {
      const response = await prepared.sandbox.fetch(new Request(url, { headers: headers() }));
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`sandbox.fetch answered ${response.status}`);
    }
    return ((performance.now() - started) * 1000) / batchSize;
  };
  const samples = { bareMsw: [] as number[], sandboxMsw: [] as number[], sandboxFetch: [] as number[] };
  for (let round = 0; round < 3 + batches; round += 1) {
    const bareTime = await throughMsw(bare);
    const sandboxTime = await throughMsw(sandboxed);
    const directTime = await direct();
    if (round < 3) continue; // warm-up rounds: V8 optimises all three paths first
    samples.bareMsw.push(bareTime);
    samples.sandboxMsw.push(sandboxTime);
    samples.sandboxFetch.push(directTime);
  }
  return { bareMsw: median(samples.bareMsw), sandboxMsw: median(samples.sandboxMsw), sandboxFetch: median(samples.sandboxFetch), batches, batchSize };
}

/** Prints the msw section. */
export function printMsw(t: MswTiming): void {
  console.log(`\nmsw path: GET ${BENCH_PATH.slice(0, BENCH_PATH.indexOf('?'))}… in process, median of ${t.batches} alternating batches of ${t.batchSize}`);
  console.log(`  bare msw handler, HttpResponse.json(page)      ${t.bareMsw.toFixed(0).padStart(6)} µs/request`);
  console.log(`  msw + createHandlers(sandbox)                  ${t.sandboxMsw.toFixed(0).padStart(6)} µs/request`);
  console.log(`  sandbox.fetch(request), no msw                 ${t.sandboxFetch.toFixed(0).padStart(6)} µs/request`);
  const ratio = t.sandboxMsw / t.bareMsw;
  console.log(`  sandbox msw / bare msw = ${ratio.toFixed(2)}   (aim: at most ${MSW_RATIO_AIM})`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printMsw(await measureMsw());
  process.exit(0);
}
