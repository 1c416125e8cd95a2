import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Files that mostly wait for work test/setup/global.ts started at the start of the run. */
const WAITS_FOR_GLOBAL_SETUP = /[\\/]test[\\/]package\.test\.ts$/;

/**
 * vitest's default order (longest first by the last run's times, else largest file first), except
 * that test/package.test.ts goes last: its slow steps run from the start of the suite beside the
 * workers (test/setup/package-job.ts), so the later the file starts, the less of its worker's time
 * it spends waiting for them.
 */
export default class Sequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter((file) => !WAITS_FOR_GLOBAL_SETUP.test(file.moduleId)), ...sorted.filter((file) => WAITS_FOR_GLOBAL_SETUP.test(file.moduleId))];
  }
}
