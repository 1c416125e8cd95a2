// @ts-check
/**
 * The package job's type check of the consumer project (test/setup/package-job.ts): for each
 * `tsconfig.<name>.json` named on the command line, a TypeScript program exactly as `tsc -p` builds
 * it (same options, strict, `skipLibCheck: false`), whose diagnostics are every option, global and
 * syntax diagnostic, plus the full semantic check of the consumer's own files and of every
 * declaration file of the installed `nodeloom-sandbox`.
 *
 * What `tsc --noEmit` adds on top is the semantic check of the other packages' declarations:
 * type-fest (msw's), zod, @types/node and TypeScript's own lib files. That was 88 % of the check
 * (11.4 of 13.3 s with NodeNext, measured with `--extendedDiagnostics` and `--generateTrace`:
 * type-fest 6.5 s, zod 2.4 s, lib 2.3 s, @types/node 1.5 s, this package 1.2 s), and it depends
 * only on those packages and the TypeScript version, not on this package. Whatever this package's
 * declarations get wrong (a type that does not resolve from the package alone, a CJS/ESM clash, a
 * missing lib) is reported in its own files or in the consumer's, which are checked in full. Both
 * programs run in one process: ~7 s of CPU against ~20 s for the two `tsc` runs.
 *
 * Usage: `node consumer-types.mjs <typescript.js> nodenext bundler` in the consumer folder.
 * Prints `{ "<name>": "<diagnostics as tsc prints them, empty when clean>", ... }` as JSON.
 */
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';

const [typescriptPath, ...names] = process.argv.slice(2);
/** @type {typeof import('typescript')} */
const ts = createRequire(import.meta.url)(typescriptPath ?? 'typescript');
const cwd = process.cwd();
const OURS = `${sep}node_modules${sep}nodeloom-sandbox${sep}`;
const format = { getCanonicalFileName: (/** @type {string} */ file) => file, getCurrentDirectory: () => cwd, getNewLine: () => '\n' };

/** @type {Record<string, string>} */
const results = {};
for (const name of names) {
  const configFile = join(cwd, `tsconfig.${name}.json`);
  /** @type {import('typescript').Diagnostic[]} */
  const configErrors = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => configErrors.push(diagnostic) });
  if (!parsed) {
    results[name] = ts.formatDiagnostics(configErrors, format);
    continue;
  }
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, configFileParsingDiagnostics: parsed.errors });
  const checked = program.getSourceFiles().filter((file) => parsed.fileNames.includes(file.fileName) || file.fileName.includes(OURS));
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...checked.flatMap((file) => program.getSemanticDiagnostics(file)),
  ];
  // A program that never reached the package would check nothing of it: say so instead of passing.
  if (!checked.some((file) => file.fileName.includes(OURS))) results[name] = `no declaration file of nodeloom-sandbox was part of the ${name} program\n`;
  else results[name] = ts.formatDiagnostics(diagnostics, format);
}
process.stdout.write(JSON.stringify(results));
