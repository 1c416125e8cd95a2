import { existsSync, realpathSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MAX_JSON_DEPTH, nestingDepthMessage, textExceedsDepth } from '../core/json-depth.ts';
import { parseScenario, type Scenario } from '../scenarios/definition.ts';
import { BUILT_IN_SCENARIOS } from '../../scenarios/index.ts';

/**
 * Loads the user's own scenario files (issue 3: "users add their own by dropping a file in
 * `scenarios/`"), for the CLI's `--scenarios-dir` and for anyone calling `createSandbox` with
 * `scenarioDefinitions`. Node-only (reads the file system), so it lives with the hosts, not the core.
 *
 * A scenario file holds one definition (src/scenarios/definition.ts): `*.json` is parsed as JSON;
 * `*.js`, `*.mjs` and `*.ts` are imported and give it as their default export or as a named export
 * `scenario` (`.ts` files go through tsx's `tsImport` when tsx is installed, an optional peer
 * dependency, so they load whether or not the folder is in a `"type": "module"` package and whether
 * or not a TypeScript loader is registered; without tsx, Node's own type stripping is tried). Other files (`README.md`, `*.d.ts`, dotfiles) and sub-folders are ignored.
 */

/** File endings loaded as scenarios. */
export const SCENARIO_FILE_EXTENSIONS = ['.json', '.js', '.mjs', '.ts'] as const;

/** A scenario file, loaded and validated. */
export interface LoadedScenario {
  /** The definition as the file gives it (pass it on as `scenarioDefinitions[].definition`). */
  definition: unknown;
  /** The file path as it was reached (the folder as given, joined with the file name). */
  source: string;
  /** The validated scenario (defaults applied). */
  scenario: Scenario;
}

/** A scenario file or folder that cannot be used; the message names the file (and the field). */
export class ScenarioLoadError extends Error {
  override name = 'ScenarioLoadError';
  /**
   * @param file the file or folder at fault
   */
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

/**
 * The package's own built-in scenario folder (`scenarios/` at the package root: `../../scenarios/`
 * from `src/hosts/`, `../scenarios/` from the built `dist/`), already registered by every sandbox.
 */
export function builtInScenariosDir(): string {
  const fromSource = fileURLToPath(new URL('../../scenarios/', import.meta.url));
  return existsSync(join(fromSource, 'index.ts')) ? fromSource : fileURLToPath(new URL('../scenarios/', import.meta.url));
}

/**
 * Imports a `.ts` file: with tsx's `tsImport` when tsx is installed (an optional peer
 * dependency), else with a plain `import()` (Node 22.18+ strips types by itself).
 * @throws Error saying to install tsx when neither works
 */
async function importTypeScript(url: string): Promise<unknown> {
  let tsx: { tsImport(url: string, parent: string): Promise<unknown> } | undefined;
  try {
    tsx = (await import('tsx/esm/api')) as typeof tsx;
  } catch {
    tsx = undefined;
  }
  if (tsx) return tsx.tsImport(url, import.meta.url);
  try {
    return await import(url);
  } catch (error) {
    throw new Error(`${(error as Error).message.split('\n')[0]} (install tsx, npm install -D tsx, to load .ts scenario files on this Node version, or write the scenario as .json or .mjs)`);
  }
}

/** Whether two paths name the same existing folder (symlinks resolved). */
function sameFolder(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** Whether `dir` is the package's own built-in scenario folder. */
export function isBuiltInScenariosDir(dir: string): boolean {
  return sameFolder(dir, builtInScenariosDir());
}

/** The built-in catalogue's own files (`index.ts` and one `<name>.ts` each), never loaded as user scenarios. */
const BUILT_IN_FILES = new Set(['index.ts', ...BUILT_IN_SCENARIOS.map((s) => `${s.name}.ts`)]);

/**
 * The folder the CLI loads when no `--scenarios-dir` is given: `scenarios` under `cwd` when it
 * exists. Inside this repository that is the built-in folder: a user's file dropped beside the
 * built-in ones is loaded, the built-in files themselves are not (see {@link loadScenarioFiles}).
 * @returns the relative path `scenarios`, or undefined when there is no such folder
 */
export function defaultScenariosDir(cwd: string = process.cwd()): string | undefined {
  const dir = join(cwd, 'scenarios');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  return resolve(cwd) === resolve(process.cwd()) ? 'scenarios' : dir;
}

/** Whether a file name is one the loader reads. */
export function isScenarioFile(name: string): boolean {
  if (name.startsWith('.') || name.endsWith('.d.ts')) return false;
  return (SCENARIO_FILE_EXTENSIONS as readonly string[]).includes(extname(name));
}

/**
 * Loads and validates one scenario file.
 * @param file path of a `.json`, `.js`, `.mjs` or `.ts` file (relative to the working directory or absolute)
 * @throws ScenarioLoadError naming the file: unreadable, not JSON, failed to import, no default or
 *   `scenario` export, JSON nested deeper than 1,000 levels, or a malformed definition (then also the field, e.g.
 *   `Invalid scenario in scenarios/slow.json: rules[0].effect.status: status must be one of ...`)
 */
export async function loadScenarioFile(file: string): Promise<LoadedScenario> {
  let definition: unknown;
  if (extname(file) === '.json') {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new ScenarioLoadError(`Cannot read scenario file ${file}: ${(error as Error).message}`, file);
    }
    if (textExceedsDepth(text)) throw new ScenarioLoadError(`Invalid scenario in ${file}: ${nestingDepthMessage(MAX_JSON_DEPTH)}`, file);
    try {
      definition = JSON.parse(text);
    } catch (error) {
      throw new ScenarioLoadError(`Invalid scenario in ${file}: not valid JSON (${(error as Error).message})`, file);
    }
  } else {
    let module: Record<string, unknown>;
    try {
      const url = pathToFileURL(resolve(file)).href;
      module = (await (extname(file) === '.ts' ? importTypeScript(url) : import(url))) as Record<string, unknown>;
    } catch (error) {
      throw new ScenarioLoadError(`Cannot import scenario file ${file}: ${(error as Error).message.split('\n')[0]}`, file);
    }
    definition = exportedDefinition(module);
    if (definition === undefined) {
      throw new ScenarioLoadError(`Invalid scenario in ${file}: export the definition as the default export or as \`export const scenario = {...}\``, file);
    }
  }
  try {
    return { definition, source: file, scenario: parseScenario(definition, file) };
  } catch (error) {
    throw new ScenarioLoadError((error as Error).message, file);
  }
}

/**
 * The `scenario` export, else the default export. A file loaded as CommonJS (outside a
 * `"type": "module"` package) arrives as `{ default: exports }`, so `exports.scenario` and
 * `exports.default` are looked into as well.
 */
function exportedDefinition(module: Record<string, unknown>): unknown {
  if (module.scenario !== undefined) return module.scenario;
  const value = module.default;
  if (typeof value === 'object' && value !== null && !('name' in value) && ('scenario' in value || 'default' in value)) {
    const exports = value as Record<string, unknown>;
    return exports.scenario ?? exports.default;
  }
  return value;
}

/**
 * Loads every scenario file of a folder (not its sub-folders), in file-name order. The package's
 * own built-in folder loads as nothing (its scenarios are always registered).
 * @param dir the folder, relative to the working directory or absolute; sources are `dir/<file>`
 * @returns the scenarios, ready for `createSandbox({ scenarioDefinitions })`
 * @throws ScenarioLoadError when the folder does not exist, when a file is malformed (see
 *   {@link loadScenarioFile}), or when two files define the same scenario name
 */
export async function loadScenarioFiles(dir: string): Promise<LoadedScenario[]> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ScenarioLoadError(`Scenario folder ${dir} does not exist (or is not a folder).`, dir);
  }
  const builtIn = isBuiltInScenariosDir(dir);
  const entries = await readdir(dir, { withFileTypes: true });
  const files = entries
    .filter((entry) => !entry.isDirectory() && isScenarioFile(entry.name) && !(builtIn && BUILT_IN_FILES.has(entry.name)))
    .map((entry) => entry.name)
    .sort();
  const loaded: LoadedScenario[] = [];
  const byName = new Map<string, string>();
  for (const name of files) {
    const scenario = await loadScenarioFile(join(dir, name));
    const other = byName.get(scenario.scenario.name);
    if (other !== undefined) {
      throw new ScenarioLoadError(`Scenario "${scenario.scenario.name}" is defined twice: in ${other} and in ${scenario.source}. Rename one of them.`, scenario.source);
    }
    byName.set(scenario.scenario.name, scenario.source);
    loaded.push(scenario);
  }
  return loaded;
}
