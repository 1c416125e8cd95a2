import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { bundleQuery } from './build/bundle-query.ts';
import Sequencer from './test/setup/sequencer.ts';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  // `import code from './app.ts?bundle'` (the control page's script), as in the package build.
  plugins: [bundleQuery()],
  // Tests import the package by name (`nodeloom-sandbox`, `nodeloom-sandbox/msw`, ...): resolved to
  // the TypeScript sources, so `npm test` needs no build and reports source lines. dist/ (the
  // built package) is what test/package.test.ts and the CLI tests run; test/setup/dist.ts
  // rebuilds it first when a source is newer.
  resolve: {
    alias: [
      { find: /^nodeloom-sandbox$/, replacement: src('index.ts') },
      { find: /^nodeloom-sandbox\/msw$/, replacement: src('hosts/msw.ts') },
      { find: /^nodeloom-sandbox\/express$/, replacement: src('hosts/express.ts') },
      { find: /^nodeloom-sandbox\/client$/, replacement: src('client/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'fixtures/**/*.test.ts'],
    testTimeout: 20_000,
    // expect.poll's default 1 s is no longer than the control page's own poll period (1 s) plus
    // a refresh: on the loaded 2-core machine a journal row appeared just after the 1 s was up.
    expect: { poll: { timeout: 5_000 } },
    // Started once before the files, when a file of the run needs them: the package job (npm pack,
    // install, the consumer's tsc, vitest and Jest checks) runs beside the workers from the start
    // instead of inside test/package.test.ts (which the sequencer runs last, to wait the least),
    // and one Chromium serves every browser file (test/setup/chromium.ts).
    globalSetup: ['test/setup/global.ts'],
    // --sequence.shuffle.files (checks that files do not lean on each other) replaces it.
    sequence: process.argv.some((arg) => arg.startsWith('--sequence.shuffle')) ? {} : { sequencer: Sequencer },
    // Test files share their worker's module state: the suite imports the sources once per worker
    // instead of once per file (import time 43 s → 7 s on the 2-core machine), and data sets
    // generated once (src/namespace.ts caches them by seed:epoch:dataset) serve every file. No
    // module-level singletons in src (design.md), and tests create their own sandboxes, so nothing
    // leaks: runs with --sequence.shuffle.files pass (bar the large data set's time budgets at load
    // average 18).
    isolate: false,
    // Two forks on the 2-core machine (vitest's default is one fewer than the CPUs: one there).
    // Each worker imports the sources and builds what it uses once, so a second one costs CPU
    // (full suite: ~160 s of CPU with one worker, 175-205 s with two), but the wall time is what
    // two cores allow. Back to back on the 2-core machine (load average 4-5.5, most of it the
    // suite itself): main with 1 fork and no global setup 142 s wall / 159 s CPU, this config
    // 112 s / 176 s; across the day 112-170 s as other engineers' benchmarks came and went. A
    // thread pool was no better (2 threads 157 s / 190 s CPU). The large data set's time
    // budgets held with 2 forks up to load 9; they failed at load 18 (1 and 2 forks).
    // Where the CPU goes (a full run sampled per process from /proc, 2026-12-02 evening, quiet
    // machine, warm module cache: 70.5 s wall, 127 s of CPU in all): the vitest workers 61 s
    // (two, plus the jsdom and happy-dom ones), Chromium 24 s (Swagger UI's rendering of the
    // OpenAPI 3.1 document alone ~7 s), the consumer type check 8 s, npm ci into the consumer 7 s,
    // vitest's main process 6 s (transforms, IPC, the shared Chromium's server), Playwright's
    // runner and workers 5 s, npm pack 3 s, Jest 2 s. The CPU is busy all along (idle under 10 %
    // in 2 s samples but at the start and the end), so the wall time is the CPU over two cores:
    // under 60 s needs the total under ~110 s. The same day: 128 s wall / 208 s CPU in the
    // morning, 92 s / 144 s at noon, 81-88 s at the start of the evening. On 2026-12-03 (a later
    // session, a quiet host): 44-48 s wall / ~85 s of CPU (workers ~40 s, Chromium ~18 s).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // A 32 MB young generation, as `npm start` runs the command: the workers keep every file's
    // modules and cached data sets, so with Node's default 16 MB more short-lived objects were
    // promoted and collected again. Two pairs of full runs, back to back (sampled per process):
    // workers 83 -> 76 s and 110 -> 101 s of CPU, the suite 103 -> 92 s and 131 -> 126 s of wall.
    execArgv: ['--max-semi-space-size=32'],
    // vitest keeps each transformed module on disk (node_modules/.experimental-vitest-cache, keyed by
    // the file's content, its id and the config; a virtual module such as `app.ts?bundle` by what
    // its plugin's load() returns, so a changed import of the control page gives a new key), so a
    // second run transforms only what changed. Back to back on the 2-core machine, the run after a
    // first one: vitest's main process 10.6 -> 6.6 s of CPU, transform 9.1 -> 2.8 s, import 20 ->
    // 13 s. A clean clone (CI) starts without it. `npx vitest --clearCache` empties it.
    experimental: { fsModuleCache: true },
    //
    // Keeping it fast as the suite grows: test behaviour in-process through sandbox.fetch (or the
    // CLI's main with test/cli-harness.ts runCli), prove host equivalence with rows in
    // test/conformance.test.ts rather than by running tests through both hosts, keep every use of
    // the large data set in test/large-dataset.test.ts, and never spawn the bin outside cli.test.ts.
  },
});
