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
    // pool and maxWorkers stay at vitest's defaults: forks, and one worker fewer than the CPUs (one
    // on the 2-core machine, so every file shares one module graph and one large data set).
    // Measured at load average ~18 (full suite): 1 fork 176-177 s, 2 forks 159-172 s with the
    // large data set's per-request time budget failing in both runs, 1 thread 190 s.
    //
    // Keeping it fast as the suite grows: test behaviour in-process through sandbox.fetch (or the
    // CLI's main with test/cli-harness.ts runCli), prove host equivalence with rows in
    // test/conformance.test.ts rather than by running tests through both hosts, keep every use of
    // the large data set in test/large-dataset.test.ts, and never spawn the bin outside cli.test.ts.
  },
});
