import { pathToFileURL } from 'node:url';
import { ACME_TEAM_ID, createSandbox, type Sandbox } from '../src/index.ts';
import { BENCH_NOW } from './targets.ts';

/**
 * The cost of the audit step (issue 6: "An audited write stays cheap. Measure it"): the same
 * `POST /api/workflows` through `sandbox.fetch` in process, in a default sandbox (every success
 * appends a SHA-256 hash-chained audit entry) and in one created with `audit: false` (the pipeline
 * skips its audit step). Batches alternate between the two sandboxes so a busy machine slows both
 * alike; the figure per sandbox is the median over the batches. Between batches the sandbox clock
 * moves 61 s (untimed), so Acme's 1,000 requests/min never answer 429.
 * `npm run bench` prints it after the reset section; `npm run bench -- --only audit` runs it alone
 * (`--rounds 10 --batch 200 --warmup 300`).
 */

/** Median µs per create with and without the audit step, and their ratio. */
export interface AuditCost {
  rounds: number;
  batch: number;
  withAudit: number;
  withoutAudit: number;
  /** withAudit / withoutAudit. */
  ratio: number;
}

const BODY = JSON.stringify({ name: 'Bench workflow', teamId: ACME_TEAM_ID, description: 'made by bench/audit.ts' });

/**
 * Measures both sandboxes.
 * @param options.rounds timed batches per sandbox (default 10)
 * @param options.batch creates per batch (default 200, under the 1,000/min limit)
 * @param options.warmup untimed creates per sandbox first, in batches of at most `batch` (default 300)
 */
export async function measureAuditCost(options: { rounds?: number; batch?: number; warmup?: number } = {}): Promise<AuditCost> {
  const rounds = options.rounds ?? 10;
  const batch = Math.min(options.batch ?? 200, 900);
  const warmup = options.warmup ?? 300;
  const audited = createSandbox({ now: BENCH_NOW });
  const quiet = createSandbox({ now: BENCH_NOW, audit: false });
  await Promise.all([audited.ready, quiet.ready]);
  for (let done = 0; done < warmup; done += batch) {
    await creates(audited, Math.min(batch, warmup - done));
    await creates(quiet, Math.min(batch, warmup - done));
  }
  const auditedLog = audited.state.db.auditLogs.count();
  const samples = { audited: [] as number[], quiet: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    // Alternate which sandbox goes first, so neither always runs on a warmer (or busier) machine.
    const order = round % 2 === 0 ? (['audited', 'quiet'] as const) : (['quiet', 'audited'] as const);
    for (const name of order) samples[name].push((await creates(name === 'audited' ? audited : quiet, batch)) / batch);
  }
  if (audited.state.db.auditLogs.count() !== auditedLog + rounds * batch) throw new Error('bench/audit.ts: the audited sandbox did not record one entry per create');
  if (quiet.state.db.auditLogs.count() !== audited.state.db.auditLogs.count() - (warmup + rounds * batch)) {
    throw new Error('bench/audit.ts: the sandbox with audit: false recorded entries');
  }
  const withAudit = median(samples.audited);
  const withoutAudit = median(samples.quiet);
  return { rounds, batch, withAudit, withoutAudit, ratio: withAudit / withoutAudit };
}

/** Prints the "audit cost" section. */
export function printAuditCost(cost: AuditCost): void {
  console.log(`\naudit cost: POST /api/workflows in process (sandbox.fetch), median of ${cost.rounds} alternating batches of ${cost.batch}`);
  console.log(`  with audit (default)   ${cost.withAudit.toFixed(1).padStart(8)} µs/create`);
  console.log(`  audit: false           ${cost.withoutAudit.toFixed(1).padStart(8)} µs/create`);
  console.log(
    `  with / without = ${cost.ratio.toFixed(2)}: the audit step adds ${(cost.withAudit - cost.withoutAudit).toFixed(1)} µs per write (one hash-chained entry: SHA-256 plus an insert)`,
  );
}

/** Sends `count` creates one after another; the sandbox clock then moves 61 s. @returns elapsed µs */
async function creates(sandbox: Sandbox, count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const response = await sandbox.fetch(
      new Request('http://bench.test/api/workflows', {
        method: 'POST',
        headers: { authorization: 'Bearer sdk_sandbox_admin', 'content-type': 'application/json' },
        body: BODY,
      }),
    );
    if (response.status !== 201) throw new Error(`bench/audit.ts: create answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  }
  const elapsed = (performance.now() - started) * 1000;
  sandbox.clock.advance('61s');
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (flag: string, fallback: number) => {
    const index = process.argv.indexOf(flag);
    const value = index === -1 ? fallback : Number(process.argv[index + 1]);
    if (!Number.isInteger(value) || value < (flag === '--warmup' ? 0 : 1)) {
      console.error(`${flag} must be a whole number, got '${process.argv[index + 1]}'`);
      process.exit(2);
    }
    return value;
  };
  printAuditCost(await measureAuditCost({ rounds: arg('--rounds', 10), batch: arg('--batch', 200), warmup: arg('--warmup', 300) }));
}
