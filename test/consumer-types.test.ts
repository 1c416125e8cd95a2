import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './setup/dist.ts';

/**
 * The package job's consumer type check (test/setup/consumer-types.mjs) on small synthetic
 * consumers. It checks the consumer's files and the package's declarations in full, and every
 * file, as `tsc -p` does, once a declaration of the package reaches outside itself: a review
 * showed two such declarations whose errors `tsc` reports only in another package's files (the
 * cases below, there with DOM and @types/node; here with lib ES5 only, to stay fast).
 */
const run = promisify(execFile);
const TYPESCRIPT = join(ROOT, 'node_modules', 'typescript', 'lib', 'typescript.js');
const SCRIPT = join(ROOT, 'test', 'setup', 'consumer-types.mjs');
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A consumer folder: tsconfig.check.json (strict, skipLibCheck off, lib ES5) plus `files`. */
function consumer(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'consumer-types-'));
  dirs.push(dir);
  const all: Record<string, string> = {
    'tsconfig.check.json': JSON.stringify({
      compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', target: 'ES5', lib: ['ES5'], strict: true, noEmit: true, skipLibCheck: false, types: [] },
      files: ['consumer.ts'],
    }),
    'node_modules/nodeloom-sandbox/package.json': JSON.stringify({ name: 'nodeloom-sandbox', version: '0.0.0', types: 'index.d.ts' }),
    'node_modules/other-lib/package.json': JSON.stringify({ name: 'other-lib', version: '0.0.0', types: 'index.d.ts' }),
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** The script's output for every consumer made by {@link consumer}. */
let checked: Promise<{ results: Record<string, string>; stderr: string }> | undefined;

/**
 * The script's diagnostics for a consumer, and what it said on stderr about it (its lines, without
 * the config path they start with). Every consumer is checked by one run of the script, started
 * when the first test asks (loading TypeScript costs ~1 s of CPU per process): the consumers are
 * made when this file loads.
 */
async function check(dir: string): Promise<{ diagnostics: string; stderr: string }> {
  checked ??= run(process.execPath, [SCRIPT, TYPESCRIPT, ...dirs.map((d) => join(d, 'tsconfig.check.json'))]).then(({ stdout, stderr }) => ({
    results: JSON.parse(stdout) as Record<string, string>,
    stderr,
  }));
  const { results, stderr } = await checked;
  const config = join(dir, 'tsconfig.check.json');
  const lines = stderr.split('\n').filter((line) => line.startsWith(`${config}: `));
  return { diagnostics: results[config]!, stderr: lines.map((line) => `${line.slice(config.length + 2)}\n`).join('') };
}

const CONSUMER = "import { Thing } from 'other-lib';\nimport { answer } from 'nodeloom-sandbox';\nexport const both = [new Thing(), answer];\n";

/** The package's own declarations have an error. */
const OWN_ERROR = consumer({
  'node_modules/other-lib/index.d.ts': 'export declare class Thing { name: string }\n',
  'node_modules/nodeloom-sandbox/index.d.ts': 'export declare const answer: MissingType;\n',
  'consumer.ts': CONSUMER,
});
/** The package augments a global that another package implements. */
const GLOBAL_AUGMENTATION = consumer({
  'node_modules/other-lib/index.d.ts': 'declare global {\n  interface Plugin { name: string }\n}\nexport declare class Thing implements Plugin {\n  name: string;\n}\n',
  'node_modules/nodeloom-sandbox/index.d.ts': 'declare global {\n  interface Plugin { init(): void }\n}\nexport declare const answer: number;\n',
  'consumer.ts': CONSUMER,
});
/** The package references more types, whose global clashes with another package's. */
const TYPE_REFERENCE = consumer({
  'node_modules/other-lib/index.d.ts': 'declare global {\n  var shared: number;\n}\nexport declare class Thing { name: string }\n',
  'node_modules/@types/clash/index.d.ts': 'declare var shared: string;\n',
  'node_modules/nodeloom-sandbox/index.d.ts': '/// <reference types="clash" />\nexport declare const answer: number;\n',
  'consumer.ts': CONSUMER,
});

describe('the consumer type check (test/setup/consumer-types.mjs)', () => {
  it("reports an error in the package's own declarations, checking only them and the consumer's files", async () => {
    const { diagnostics, stderr } = await check(OWN_ERROR);
    expect(diagnostics).toMatch(/^node_modules\/nodeloom-sandbox\/index\.d\.ts\(1,30\): error TS2304: Cannot find name 'MissingType'\./);
    expect(stderr).toBe('');
  }, 30_000);

  it('checks every file when the package augments a global, and reports the error tsc reports in another package', async () => {
    const { diagnostics, stderr } = await check(GLOBAL_AUGMENTATION);
    expect(diagnostics).toMatch(/^node_modules\/other-lib\/index\.d\.ts\(4,\d+\): error TS2420: Class 'Thing' incorrectly implements interface 'Plugin'\./);
    expect(stderr).toBe('every file checked, as tsc does, because of node_modules/nodeloom-sandbox/index.d.ts: declare global\n');
  }, 30_000);

  it('checks every file when the package references more types, and reports the clash wherever tsc does', async () => {
    const { diagnostics, stderr } = await check(TYPE_REFERENCE);
    expect(diagnostics).toMatch(/error TS2403: Subsequent variable declarations must have the same type\. {2}Variable 'shared' must be of type '(string|number)'/);
    expect(stderr).toBe('every file checked, as tsc does, because of node_modules/nodeloom-sandbox/index.d.ts: /// <reference types>\n');
  }, 30_000);
});
