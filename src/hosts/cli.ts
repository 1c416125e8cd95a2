import { createServer, type Server } from 'node:http';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSandbox } from '../sandbox.ts';
import { BUILT_IN_SCENARIOS } from '../../scenarios/index.ts';
import { SCENARIO_APPLIED_HEADER } from '../core/pipeline.ts';
import { createApp, sandboxResponseOf } from './express.ts';
import { loadScenarioFiles, ScenarioLoadError, type LoadedScenario } from './load-scenarios.ts';
import { NAMESPACE_HEADER } from '../admin/control-plane.ts';
import { banner, logLine } from './banner.ts';
import { parseCliArgs, USAGE, UsageError, type CliConfig } from './cli-args.ts';

/**
 * The `nodeloom-sandbox` command (`npm start`, `bin/nodeloom-sandbox.js`): serves a sandbox over
 * HTTP through the express host, prints the fixed identities, the scenarios and the control plane,
 * logs one line per request. Exit codes: 0 after Ctrl-C/SIGTERM, 1 when the server cannot start
 * (port in use), 2 for bad arguments, an unknown scenario or a malformed scenario file.
 */

export { banner, logLine, type BannerInfo } from './banner.ts';
export { parseCliArgs, UsageError, USAGE, type CliConfig } from './cli-args.ts';

/**
 * Loads the user's scenario files and checks the start-up scenario names against every known
 * scenario (built-in and loaded).
 * @returns the loaded scenarios, for `createSandbox({ scenarioDefinitions })`
 * @throws ScenarioLoadError for a missing folder or a malformed file (the message names the file
 *   and the field); UsageError for an unknown scenario name (the message lists the known ones)
 */
export async function loadStartupScenarios(config: CliConfig): Promise<LoadedScenario[]> {
  const loaded = config.scenariosDir === undefined ? [] : await loadScenarioFiles(config.scenariosDir);
  const known = knownScenarioNames(loaded);
  const unknown = config.scenarios.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    const list = unknown.map((name) => `'${name}'`).join(', ');
    throw new UsageError(
      `unknown scenario${unknown.length > 1 ? 's' : ''} ${list} (from ${config.scenariosFrom ?? '--scenario'}). Known scenarios: ${known.join(', ')}` +
        (config.scenariosDir === undefined ? '' : ` (built-in and from ${config.scenariosDir})`),
    );
  }
  return loaded;
}

/** Built-in and loaded scenario names, sorted, without duplicates (a file may replace a built-in). */
function knownScenarioNames(loaded: readonly LoadedScenario[]): string[] {
  return [...new Set([...BUILT_IN_SCENARIOS.map((s) => s.name), ...loaded.map((s) => s.scenario.name)])].sort();
}

/**
 * Starts the server. Resolves with the listening server; logs one {@link logLine} per request
 * unless `quiet`; closes cleanly (exit 0) on SIGINT/SIGTERM.
 * @param scenarioDefinitions the user's scenarios (see {@link loadStartupScenarios})
 * @throws Error with code EADDRINUSE (and others from `listen`) when the port cannot be bound;
 *   HttpError 400 for an unknown start-up scenario (checked earlier by loadStartupScenarios)
 */
export async function serve(config: CliConfig, scenarioDefinitions: readonly LoadedScenario[] = []): Promise<Server> {
  const sandbox = createSandbox({
    seed: config.seed,
    corsOrigins: config.corsOrigins,
    scenarios: config.scenarios,
    scenarioDefinitions: scenarioDefinitions.map(({ definition, source }) => ({ definition, source })),
    admin: config.admin,
    journalSize: config.journalSize,
    maxNamespaces: config.maxNamespaces,
    now: config.now,
    chat: config.chatTokenDelayMs === undefined ? undefined : { tokenDelayMs: config.chatTokenDelayMs },
  });
  // The large data set takes a while to build: say so rather than look hung.
  const slow = setTimeout(() => process.stdout.write('Seeding the data set (the large one takes a while)...\n'), 1_000);
  try {
    await sandbox.ready;
  } finally {
    clearTimeout(slow);
  }
  const app = createApp(sandbox);
  const server = createServer((req, res) => {
    if (!config.quiet) {
      const started = performance.now();
      res.once('close', () => {
        const ms = (performance.now() - started).toFixed(1);
        const status = !res.headersSent ? 'no response (connection closed)' : res.writableFinished ? String(res.statusCode) : `${res.statusCode} (client gone)`;
        // The express host writes JSON answers with one raw writeHead, which getHeader() cannot
        // read back, so the applied scenario comes from the Response it keeps on res.locals.
        const applied = sandboxResponseOf(res)?.headers.get(SCENARIO_APPLIED_HEADER) ?? undefined;
        const namespace = req.headers[NAMESPACE_HEADER];
        const line = logLine({
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          status,
          ms,
          applied: applied === undefined ? undefined : String(applied),
          namespace: typeof namespace === 'string' ? namespace : undefined,
        });
        process.stdout.write(`${line}\n`);
      });
    }
    app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  process.stdout.write(
    banner(`http://${host}:${port}`, config.seed, {
      scenarios: sandbox.scenarios.current().names,
      known: sandbox.scenarios.list().map((scenario) => scenario.name),
      admin: config.admin,
      now: config.now,
    }),
  );
  const stop = (signal: string) => {
    process.stdout.write(`\n${signal}: closing the server\n`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}

/**
 * Runs the command: parses `argv`, prints help or starts the server. Sets `process.exitCode`
 * (2 usage error, 1 start failure) instead of throwing.
 * @param argv arguments after the script name
 */
export async function main(argv: readonly string[]): Promise<void> {
  let config: CliConfig;
  try {
    config = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`nodeloom-sandbox: ${error.message}\nRun nodeloom-sandbox --help for the options.\n`);
    process.exitCode = 2;
    return;
  }
  if (config.help) {
    process.stdout.write(USAGE);
    return;
  }
  let scenarios: LoadedScenario[];
  try {
    scenarios = await loadStartupScenarios(config);
  } catch (error) {
    if (!(error instanceof ScenarioLoadError || error instanceof UsageError)) throw error;
    process.stderr.write(`nodeloom-sandbox: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    await serve(config, scenarios);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'EADDRINUSE'
        ? `port ${config.port} on ${config.host} is already in use. Stop the other server, or pass --port <n> (or PORT=<n>); --port 0 picks a free port.`
        : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
          ? `cannot bind to --host ${config.host}: no such local address.`
          : `could not start: ${(error as Error).message}`;
    process.stderr.write(`nodeloom-sandbox: ${message}\n`);
    process.exitCode = 1;
  }
}

function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main(process.argv.slice(2));
