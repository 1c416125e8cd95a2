import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The file that waits for the package job test/setup/global.ts starts with the run. */
export const USES_PACKAGE_JOB = /[\\/]test[\\/]package\.test\.ts$/;
/** The files that drive Chromium (the one test/setup/global.ts launches for the run). */
export const USES_CHROMIUM = /[\\/]test[\\/](browser.*|openapi-browser|control-page-browser|playwright)\.test\.ts$/;

/** The environment a file asks for: the first `@vitest-environment <name>`, read as vitest reads it. */
const ENVIRONMENT_PRAGMA = /@(?:vitest|jest)-environment\s+([\w-]+)\b/;
const ownEnvironment = (file: string) => (ENVIRONMENT_PRAGMA.exec(readFileSync(file, 'utf8'))?.[1] ?? 'node') !== 'node';

/**
 * vitest's default order (longest first by the last run's times, else largest file first; a mix
 * of the two when some files are new), except that:
 * - the Chromium files go first: they are among the longest (8-17 s each at load 5) and spend much
 *   of it waiting on the browser's processes, so early they overlap the CPU-bound files instead of
 *   trailing at the end (after a merge brought new files, the default order ran them last and the
 *   suite ended with 35 s of them);
 * - test/package.test.ts goes last of the node files: its slow steps run from the start of the
 *   suite beside the workers (test/setup/package-job.ts), so the later the file starts, the less
 *   of its worker's time it spends waiting for them;
 * - the files with an environment of their own (jsdom, happy-dom) go after everything: a worker
 *   (isolate: false) is kept for the next file only when that file's environment is the same, so
 *   one of them in the middle of the queue ended both node workers, and the files after it paid
 *   for two new workers importing the sources again (~2.5 s of CPU each, measured).
 */
export default class Sequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) =>
      USES_CHROMIUM.test(file.moduleId) ? 0 : USES_PACKAGE_JOB.test(file.moduleId) ? 2 : ownEnvironment(file.moduleId) ? 3 : 1;
    const ranked = sorted.map((file, index) => ({ file, index, rank: rank(file) }));
    return ranked.sort((a, b) => a.rank - b.rank || a.index - b.index).map(({ file }) => file);
  }
}
