// @ts-check
/**
 * The package job's type check of the consumer project (test/setup/package-job.ts): for each
 * `tsconfig.<name>.json` named on the command line, the TypeScript program `tsc -p` builds (same
 * options: strict, `skipLibCheck: false`), and its diagnostics: every config, option, global and
 * syntax diagnostic, plus the full semantic check of the consumer's own files and of every
 * declaration file of the installed `nodeloom-sandbox`.
 *
 * What `tsc --noEmit` does on top is the semantic check of the other packages' declarations:
 * type-fest (msw's), zod, @types/node and TypeScript's lib files. That was 88 % of the check
 * (11.4 of 13.3 s with NodeNext, measured with `--extendedDiagnostics` and `--generateTrace`:
 * type-fest 6.5 s, zod 2.4 s, lib 2.3 s, @types/node 1.5 s, this package 1.2 s). Those files'
 * diagnostics can change because of this package only when its declarations reach outside
 * themselves: a `/// <reference lib|types|path>` (more files in the program), a `declare global`
 * or `declare module '…'` augmentation, `export as namespace`, or a script file (its declarations
 * are global). The errors that causes can land in a lib file or another package's (a review found
 * both: `/// <reference lib="webworker">` beside DOM, a global interface another package's class
 * implements). So when any declaration file of the package has one of those, that config is
 * checked in full, exactly as `tsc` checks it, and stderr says why. Today's declarations have
 * none: both programs cost ~7 s of CPU in one process, against ~20 s for two `tsc` runs.
 *
 * Usage: `node consumer-types.mjs <typescript.js> nodenext bundler` in the consumer folder, or
 * with paths of config files (`<dir>/tsconfig.check.json`, several consumers in one process:
 * loading TypeScript costs ~1 s of CPU per process). Prints `{ "<name or path>": "<diagnostics as
 * tsc prints them, file names relative to the config's folder, empty when clean>", ... }` as JSON;
 * stderr lines start with the name or path they are about.
 */
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

const [typescriptPath, ...names] = process.argv.slice(2);
/** @type {typeof import('typescript')} */
const ts = createRequire(import.meta.url)(typescriptPath ?? 'typescript');
// TypeScript's file names use `/` on every platform.
const OURS = '/node_modules/nodeloom-sandbox/';
/** How diagnostics are printed: file names relative to `dir`, as `tsc -p` run there prints them. */
const formatIn = (/** @type {string} */ dir) => ({ getCanonicalFileName: (/** @type {string} */ file) => file, getCurrentDirectory: () => dir, getNewLine: () => '\n' });

/**
 * Why a declaration file's meaning reaches outside it (see the header), or null when it does not.
 * @param {import('typescript').SourceFile} file
 * @returns {string | null}
 */
function reachesOutside(file) {
  if (file.libReferenceDirectives.length > 0) return '/// <reference lib>';
  if (file.typeReferenceDirectives.length > 0) return '/// <reference types>';
  if (file.referencedFiles.length > 0) return '/// <reference path>';
  if (!ts.isExternalModule(file)) return 'a script (global) declaration file';
  for (const statement of file.statements) {
    if (ts.isNamespaceExportDeclaration(statement)) return 'export as namespace';
    if (ts.isModuleDeclaration(statement) && (ts.isStringLiteral(statement.name) || (statement.flags & ts.NodeFlags.GlobalAugmentation) !== 0)) {
      return ts.isStringLiteral(statement.name) ? `declare module '${statement.name.text}'` : 'declare global';
    }
  }
  return null;
}

/** @type {Record<string, string>} */
const results = {};
for (const name of names) {
  const configFile = resolve(name.endsWith('.json') ? name : `tsconfig.${name}.json`);
  const format = formatIn(dirname(configFile));
  /** @type {import('typescript').Diagnostic[]} */
  const configErrors = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => configErrors.push(diagnostic) });
  if (!parsed) {
    results[name] = ts.formatDiagnostics(configErrors, format);
    continue;
  }
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, configFileParsingDiagnostics: parsed.errors });
  const ours = program.getSourceFiles().filter((file) => file.fileName.includes(OURS));
  const reasons = ours.flatMap((file) => {
    const reason = reachesOutside(file);
    return reason ? [`${file.fileName.slice(file.fileName.indexOf(OURS) + 1)}: ${reason}`] : [];
  });
  if (reasons.length > 0) process.stderr.write(`${name}: every file checked, as tsc does, because of ${reasons.join('; ')}\n`);
  const checked = reasons.length > 0 ? program.getSourceFiles() : program.getSourceFiles().filter((file) => parsed.fileNames.includes(file.fileName) || file.fileName.includes(OURS));
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...checked.flatMap((file) => program.getSemanticDiagnostics(file)),
  ];
  // A program that never reached the package would check nothing of it: say so instead of passing.
  if (ours.length === 0) results[name] = `no declaration file of nodeloom-sandbox was part of the ${name} program\n`;
  else results[name] = ts.formatDiagnostics(diagnostics, format);
}
process.stdout.write(JSON.stringify(results));
