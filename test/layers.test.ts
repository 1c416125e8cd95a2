import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Imports run down (design.md "Direction of imports"): core ← data ← resources ← sandbox ← hosts.
 * Each rule names a folder and what its files may import; a file importing across the line fails
 * this test with the file and the import named, so the next upward import is caught the day it is
 * written.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return files(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every relative import of a file, as a path relative to the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return found.map((spec) => relative(ROOT, resolve(ROOT, dirname(file), spec)));
}

/** [folder, allowed import prefixes (repository-relative), why]. */
const RULES: Array<[string, string[], string]> = [
  ['src/core', ['src/core/'], 'the core is host- and data-neutral: the sandbox injects what it needs'],
  ['src/scenarios', ['src/core/', 'src/scenarios/'], 'scenarios are data over the core'],
  ['src/data', ['src/core/', 'src/data/'], 'the data layer stores records; resources add their tables'],
  ['src/resources', ['src/core/', 'src/data/', 'src/resources/', 'src/state.ts'], 'resources sit below the sandbox'],
  ['src/openapi', ['src/core/', 'src/resources/', 'src/openapi/', 'src/routes.ts'], 'the document is generated from the routes; the sandbox serves it'],
];

describe('import direction', () => {
  for (const [folder, allowed, why] of RULES) {
    it(`keeps ${folder} importing only ${allowed.join(', ')} (${why})`, () => {
      const violations = files(folder).flatMap((file) =>
        importsOf(file)
          .filter((target) => !allowed.some((prefix) => target === prefix || target.startsWith(prefix)))
          .map((target) => `${file} imports ${target}`),
      );
      expect(violations).toEqual([]);
    });
  }

  it('keeps node:* and express out of code that runs in a browser service worker', () => {
    const violations = ['src/core', 'src/scenarios', 'src/data', 'src/resources', 'src/openapi'].flatMap(files).filter((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return /from\s+'(node:[^']+|express|msw\/node)'/.test(text);
    });
    expect(violations).toEqual([]);
  });

  it('finds the imports it checks (the scan is not vacuous)', () => {
    expect(importsOf('src/core/pipeline.ts')).toContain('src/core/route.ts');
    expect(files('src/resources').length).toBeGreaterThan(10);
  });
});
