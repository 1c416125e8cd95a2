import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  builtInScenariosDir,
  defaultScenariosDir,
  isScenarioFile,
  loadScenarioFile,
  loadScenarioFiles,
  ScenarioLoadError,
} from '../src/hosts/load-scenarios.ts';
import { call, testSandbox } from './helpers.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nodeloom-scenarios-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (name → text, objects as JSON) into the temp folder. */
function write(files: Record<string, string | object>): void {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
}

const definition = (name: string, status = 503) => ({
  name,
  description: `The ${name} scenario.`,
  rules: [{ name: 'busy', when: 'GET /api/workflows', effect: { type: 'error', status } }],
});

/** Runs `load` and returns the ScenarioLoadError it throws. */
async function loadError(load: () => Promise<unknown>): Promise<ScenarioLoadError> {
  try {
    await load();
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioLoadError);
    return error as ScenarioLoadError;
  }
  throw new Error('expected a ScenarioLoadError');
}

describe('loadScenarioFiles', () => {
  it('loads .json, .mjs, .js and .ts files in file-name order with the file path as source', async () => {
    write({
      'd-json.json': definition('from-json'),
      'c-esm.mjs': `export default ${JSON.stringify(definition('from-mjs'))};`,
      'b-cjs.js': `exports.scenario = ${JSON.stringify(definition('from-cjs'))};`,
      'a-ts.ts': `const status: number = 502;\nexport const scenario = { name: 'from-ts', description: 'TypeScript.', rules: [{ effect: { type: 'error', status } }] };\n`,
      'e-default.ts': `export default { name: 'from-ts-default', description: 'TypeScript default export.' };\n`,
    });
    const loaded = await loadScenarioFiles(dir);
    expect(loaded.map((s) => [s.scenario.name, s.source])).toEqual([
      ['from-ts', join(dir, 'a-ts.ts')],
      ['from-cjs', join(dir, 'b-cjs.js')],
      ['from-mjs', join(dir, 'c-esm.mjs')],
      ['from-json', join(dir, 'd-json.json')],
      ['from-ts-default', join(dir, 'e-default.ts')],
    ]);
    expect(loaded[3]!.definition).toEqual(definition('from-json'));
    // Validated, with the schema's defaults applied.
    expect(loaded[0]!.scenario.rules[0]).toMatchObject({ when: '* /api/**', except: [], effect: { type: 'error', status: 502 } });
  });

  it('ignores other files, .d.ts files, dotfiles and sub-folders', async () => {
    write({
      'README.md': '# my scenarios',
      'types.d.ts': 'export {};',
      '.hidden.json': '{ not json',
      'nested/inner.json': definition('nested'),
      'notes.txt': 'x',
      'ok.json': definition('ok'),
    });
    expect((await loadScenarioFiles(dir)).map((s) => s.scenario.name)).toEqual(['ok']);
    expect(['a.json', 'a.js', 'a.mjs', 'a.ts'].every(isScenarioFile)).toBe(true);
    expect(['a.cjs', 'a.d.ts', '.a.json', 'a.md'].some(isScenarioFile)).toBe(false);
  });

  it('returns nothing for an empty folder, and never the built-in files of the package folder', async () => {
    expect(await loadScenarioFiles(dir)).toEqual([]);
    expect(await loadScenarioFiles(builtInScenariosDir())).toEqual([]);
    expect(await loadScenarioFiles(join(REPO, 'scenarios'))).toEqual([]);
  });

  it('loads a user file dropped into the package scenarios/ folder beside the built-in ones', async () => {
    const file = join(builtInScenariosDir(), 'zz-test-user-scenario.json');
    writeFileSync(file, JSON.stringify(definition('dropped-in')));
    try {
      const loaded = await loadScenarioFiles(builtInScenariosDir());
      expect(loaded.map((s) => s.scenario.name)).toEqual(['dropped-in']);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('rejects a malformed definition with a message naming the file and the field', async () => {
    write({ 'ok.json': definition('ok'), 'broken.json': definition('broken', 299) });
    const error = await loadError(() => loadScenarioFiles(dir));
    expect(error.file).toBe(join(dir, 'broken.json'));
    expect(error.message).toMatch(new RegExp(`^Invalid scenario in ${escape(join(dir, 'broken.json'))}: rules\\[0\\]\\.effect\\.status: status must be one of 400, `));
  });

  it('names the field for a missing description and a bad name', async () => {
    write({ 'x.json': { name: 'x', rules: [] } });
    expect((await loadError(() => loadScenarioFiles(dir))).message).toBe(`Invalid scenario in ${join(dir, 'x.json')}: description: description is required (a line saying what the scenario does)`);
    rmSync(join(dir, 'x.json'));
    write({ 'y.json': { ...definition('y'), name: 'Not Kebab' } });
    expect((await loadError(() => loadScenarioFiles(dir))).message).toBe(`Invalid scenario in ${join(dir, 'y.json')}: name: name must be kebab-case (a-z, 0-9, -)`);
  });

  it('rejects a file that is not JSON, naming the file', async () => {
    write({ 'bad.json': '{ "name": "bad", ' });
    const error = await loadError(() => loadScenarioFiles(dir));
    expect(error.message).toMatch(new RegExp(`^Invalid scenario in ${escape(join(dir, 'bad.json'))}: not valid JSON \\(`));
  });

  it('rejects a module without a default or scenario export, and one that fails to import', async () => {
    write({ 'none.mjs': 'export const other = 1;' });
    expect((await loadError(() => loadScenarioFiles(dir))).message).toBe(
      `Invalid scenario in ${join(dir, 'none.mjs')}: export the definition as the default export or as \`export const scenario = {...}\``,
    );
    rmSync(join(dir, 'none.mjs'));
    write({ 'throws.mjs': 'throw new Error("boom at import");' });
    expect((await loadError(() => loadScenarioFiles(dir))).message).toBe(`Cannot import scenario file ${join(dir, 'throws.mjs')}: boom at import`);
  });

  it('rejects two files defining the same scenario name, naming both', async () => {
    write({ 'a.json': definition('twice'), 'b.json': definition('twice', 500) });
    const error = await loadError(() => loadScenarioFiles(dir));
    expect(error.message).toBe(`Scenario "twice" is defined twice: in ${join(dir, 'a.json')} and in ${join(dir, 'b.json')}. Rename one of them.`);
  });

  it('rejects a folder that does not exist', async () => {
    const missing = join(dir, 'nope');
    const error = await loadError(() => loadScenarioFiles(missing));
    expect(error).toMatchObject({ file: missing, message: `Scenario folder ${missing} does not exist (or is not a folder).` });
  });
});

describe('loadScenarioFile', () => {
  it('loads one file on its own', async () => {
    write({ 'one.json': definition('one') });
    const loaded = await loadScenarioFile(join(dir, 'one.json'));
    expect(loaded).toMatchObject({ source: join(dir, 'one.json'), scenario: { name: 'one', description: 'The one scenario.' } });
    expect(loaded.scenario).not.toHaveProperty('dataset');
  });
});

describe('defaultScenariosDir', () => {
  it('finds ./scenarios under the working directory, the package folder included', () => {
    expect(defaultScenariosDir(dir)).toBeUndefined();
    write({ 'scenarios/mine.json': definition('mine') });
    expect(defaultScenariosDir(dir)).toBe(join(dir, 'scenarios'));
    expect(resolve(defaultScenariosDir(REPO)!)).toBe(join(REPO, 'scenarios'));
  });
});

describe('loaded scenarios in a sandbox', () => {
  it('are usable by name with X-Sandbox-Scenario and at start', async () => {
    write({ 'busy.json': definition('busy-workflows'), 'db.mjs': `export const scenario = { name: 'no-data', description: 'Empty data.', dataset: 'empty' };` });
    const loaded = await loadScenarioFiles(dir);
    const sandbox = testSandbox({ scenarioDefinitions: loaded.map(({ definition, source }) => ({ definition, source })), scenarios: ['no-data'] });
    const busy = await call(sandbox, 'GET', '/api/workflows', { token: 'sdk_sandbox_admin', headers: { 'x-sandbox-scenario': 'busy-workflows' } });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('x-sandbox-scenario-applied')).toBe('busy-workflows/busy (error 503)');
    const empty = await call(sandbox, 'GET', '/api/workflows', { token: 'sdk_sandbox_admin' });
    expect(empty.json.totalElements).toBe(0);
    expect(sandbox.scenarios.list().map((s) => s.name)).toEqual(expect.arrayContaining(['busy-workflows', 'no-data', 'slow']));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
