import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureDist } from '../test/setup/dist.ts';
import { startNodeFlags } from './processes.ts';
import { BENCH_NOW } from './targets.ts';

/**
 * The `large` data set (issue 13): 100,000 executions against the default data set's 252, each in
 * its own child process (bench/large-probe.mjs: the built package under plain node with `npm start`'s
 * flags and --expose-gc, no TypeScript loader) so RSS is that sandbox's own, as users run it. Printed as ratios of the same run:
 * - an execution list page and a filtered page (status=FAILED, 30-day window), large / default;
 * - the first write (an execute) on the fresh data set, after writes in another namespace warmed the
 *   code up, large / default (also / a later default write);
 * - RSS right after start and after a mixed workload (300 rounds of pages, filters, details,
 *   executes, cancels, creates and small exports), against the 400 MB target;
 * - the full CSV export: time, and heap growth at its peak and live (after a GC every ~1 MB read)
 *   for all ~100,000 rows and for a ~10,000-row window: flat memory means about the same figure.
 * `npm run bench` prints it after the guardrails section; `npm run bench -- --only large` runs it alone.
 */

/** What one probe (bench/large-probe.mjs) measures; times in ms, memory in bytes. */
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

/** Both probes and the goals they are held to. */
export interface LargeReport {
  default: ProbeResult;
  large: ProbeResult;
}

/** Goals from issue 13. */
export const LARGE_GOALS = { pageRatio: 3, firstWriteRatio: 3, rssMb: 400 } as const;

const PROBE = fileURLToPath(new URL('./large-probe.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs one probe in a child process (on dist/: {@link measureLarge} builds it when stale). @throws Error with the child's stderr when it fails */
export function runProbe(dataset: 'default' | 'large'): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', ...startNodeFlags(), PROBE, dataset, BENCH_NOW], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench/large-probe.mjs ${dataset} exited with ${code}: ${stderr.trim()}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as ProbeResult);
      } catch {
        reject(new Error(`bench/large-probe.mjs ${dataset} printed no result: ${stdout}${stderr}`));
      }
    });
  });
}

/** Measures the default data set, then the large one (one child each, one after the other; dist/ built first if stale). */
export async function measureLarge(): Promise<LargeReport> {
  await ensureDist();
  const base = await runProbe('default');
  const large = await runProbe('large');
  return { default: base, large };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const msText = (ms: number) => (ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(2)} ms`);
const verdict = (ok: boolean) => (ok ? 'meets' : 'MISSES');

/** Prints the "large data set" section. */
export function printLarge(report: LargeReport): void {
  const { default: d, large: l } = report;
  const g = LARGE_GOALS;
  console.log(
    `\nlarge data set: ${l.executions.toLocaleString('en-US')} executions vs the default ${d.executions.toLocaleString('en-US')}, ` +
      `one child process each (the built package, npm start's node flags; a bare default sandbox's RSS is ${mb(d.rssStart)}); start to ready ${msText(d.startMs)} / ${msText(l.startMs)}`,
  );
  const rows: string[][] = [
    ['measure', 'default', 'large', 'large / default', 'goal'],
    ['execution list page (median)', msText(d.listMs), msText(l.listMs), (l.listMs / d.listMs).toFixed(2), `<= ${g.pageRatio} ${verdict(l.listMs / d.listMs <= g.pageRatio)}`],
    ['filtered page (median)', msText(d.filterMs), msText(l.filterMs), (l.filterMs / d.filterMs).toFixed(2), `<= ${g.pageRatio} ${verdict(l.filterMs / d.filterMs <= g.pageRatio)}`],
    ['first write (execute, warm)', msText(d.firstWriteMs), msText(l.firstWriteMs), (l.firstWriteMs / d.firstWriteMs).toFixed(2), `<= ${g.firstWriteRatio} ${verdict(l.firstWriteMs / d.firstWriteMs <= g.firstWriteRatio)}`],
    ['later writes (median)', msText(d.writeMs), msText(l.writeMs), (l.writeMs / d.writeMs).toFixed(2), ''],
    ['RSS after start', mb(d.rssStart), mb(l.rssStart), (l.rssStart / d.rssStart).toFixed(2), `<= ${g.rssMb} MB ${verdict(l.rssStart <= g.rssMb * 1024 * 1024)}`],
    ['RSS after mixed workload', mb(d.rssMixed), mb(l.rssMixed), (l.rssMixed / d.rssMixed).toFixed(2), `<= ${g.rssMb} MB ${verdict(l.rssMixed <= g.rssMb * 1024 * 1024)}`],
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const [index, row] of rows.entries()) {
    console.log(`  ${row.map((cell, column) => (column === 0 || column === 4 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('   ')}`.trimEnd());
    if (index === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('   ')}`);
  }
  console.log(
    `  first write on large / a later write on default: ${(l.firstWriteMs / d.writeMs).toFixed(1)} (first writes warmed up by 30 executes in another namespace)`,
  );
  const flat = l.exportLiveHeap <= Math.max(2 * l.smallExportLiveHeap, 4 * 1024 * 1024);
  console.log(
    `  CSV export, large: ${l.exportRows.toLocaleString('en-US')} rows, ${mb(l.exportBytes)} in ${msText(l.exportMs)}; ` +
      `heap growth at peak ${mb(l.exportPeakHeap)} (${l.smallExportRows.toLocaleString('en-US')} rows: ${mb(l.smallExportPeakHeap)}), ` +
      `live ${mb(l.exportLiveHeap)} (${mb(l.smallExportLiveHeap)}): memory ${flat ? 'flat' : 'GROWS'} with the row count`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printLarge(await measureLarge());
}
