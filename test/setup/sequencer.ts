import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The file that waits for the package job test/setup/global.ts starts with the run. */
export const USES_PACKAGE_JOB = /[\\/]test[\\/]package\.test\.ts$/;
/** The files that drive Chromium (the one test/setup/global.ts launches for the run). */
export const USES_CHROMIUM = /[\\/]test[\\/](browser.*|openapi-browser|control-page-browser|playwright)\.test\.ts$/;

/**
 * vitest's default order (longest first by the last run's times, else largest file first; a mix
 * of the two when some files are new), except that:
 * - the Chromium files go first: they are among the longest (8-17 s each at load 5) and spend much
 *   of it waiting on the browser's processes, so early they overlap the CPU-bound files instead of
 *   trailing at the end (after a merge brought new files, the default order ran them last and the
 *   suite ended with 35 s of them);
 * - test/package.test.ts goes last: its slow steps run from the start of the suite beside the
 *   workers (test/setup/package-job.ts), so the later the file starts, the less of its worker's
 *   time it spends waiting for them.
 */
export default class Sequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => (USES_CHROMIUM.test(file.moduleId) ? 0 : USES_PACKAGE_JOB.test(file.moduleId) ? 2 : 1);
    return sorted.map((file, index) => ({ file, index })).sort((a, b) => rank(a.file) - rank(b.file) || a.index - b.index).map(({ file }) => file);
  }
}
