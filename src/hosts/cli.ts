import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSandbox, type Sandbox } from '../sandbox.ts';
import { BUILT_IN_SCENARIOS } from '../../scenarios/index.ts';
import { scenarioAppliedOf } from '../core/respond.ts';
import { NO_SCENARIO, noScenarioAloneMessage } from '../scenarios/definition.ts';
import { createRequestListener, injectedEndingOf, sandboxResponseOf } from './node-host.ts';
import { handleClientErrors } from './client-error.ts';
import { loadScenarioFiles, ScenarioLoadError, type LoadedScenario } from './load-scenarios.ts';
import { NAMESPACE_HEADER } from '../admin/control-plane.ts';
import { banner, logLine, logStatus } from './banner.ts';
import { createLineBuffer } from './log-buffer.ts';
import { parseCliArgs, sessionSecretFor, USAGE, UsageError, type CliConfig } from './cli-args.ts';

/**
 * The `nodeloom-sandbox` command (`npm start`, `bin/nodeloom-sandbox.js`): serves a sandbox over
 * HTTP through the node host (src/hosts/node-host.ts; no express), prints the fixed identities, the scenarios and the control plane,
 * logs one line per request (buffered: src/hosts/log-buffer.ts). Exit codes: 0 after Ctrl-C/SIGTERM, 1 when the server cannot start
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
  // `none` is reserved (no definition takes it): alone it switches every scenario off, as
  // PUT /__sandbox/scenario {"names":["none"]} does; with others it is refused, as everywhere.
  if (config.scenarios.includes(NO_SCENARIO) && config.scenarios.length > 1) {
    const others = config.scenarios.filter((name) => name !== NO_SCENARIO);
    throw new UsageError(noScenarioAloneMessage(` (from ${config.scenariosFrom ?? '--scenario'})`, others));
  }
  const unknown = config.scenarios.filter((name) => name !== NO_SCENARIO && !known.includes(name));
  if (unknown.length > 0) {
    const list = unknown.map((name) => `'${name}'`).join(', ');
    throw new UsageError(
      `unknown scenario${unknown.length > 1 ? 's' : ''} ${list} (from ${config.scenariosFrom ?? '--scenario'}). Known scenarios: ${known.join(', ')}` +
        (config.scenariosDir === undefined ? '' : ` (built-in and from ${config.scenariosDir})`) +
        ` (or ${NO_SCENARIO} for no scenario)`,
    );
  }
  return loaded;
}

/** Built-in and loaded scenario names, sorted, without duplicates (a file may replace a built-in). */
function knownScenarioNames(loaded: readonly LoadedScenario[]): string[] {
  return [...new Set([...BUILT_IN_SCENARIOS.map((s) => s.name), ...loaded.map((s) => s.scenario.name)])].sort();
}

/** Somewhere the command prints to: `process.stdout`/`process.stderr`, or a test's collector. */
export interface CliOutput {
  write(text: string): unknown;
}

/** The signals that stop the server (Ctrl-C, `kill`). */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Where the stop signals come from: `process`, or an `EventEmitter` a test emits on. */
export interface SignalSource {
  once(signal: StopSignal, listener: (signal: StopSignal) => void): unknown;
  off(signal: StopSignal, listener: (signal: StopSignal) => void): unknown;
}

/**
 * What the command reads and writes besides its arguments, so tests can run it in-process.
 * {@link main} fills every field left out with the process's own (see {@link processIo}).
 */
export interface CliIo {
  /** The banner, `--help` and one line per request. */
  stdout: CliOutput;
  /** Error messages. */
  stderr: CliOutput;
  /** Reads `PORT`, `SANDBOX_SCENARIO` and `SANDBOX_ADMIN_TOKEN`. */
  env: Record<string, string | undefined>;
  /** Working directory, for the default `./scenarios` folder. */
  cwd: string;
  /**
   * Called once when the command ends, with its exit code: 0 after `--help` or a stop signal,
   * 1 when the server cannot start, 2 for a usage or scenario error. Not called while serving.
   */
  exit: (code: number) => void;
  /** SIGINT and SIGTERM close the server, then `exit(0)`. */
  signals: SignalSource;
}

/**
 * The process's own io: `process.stdout`/`stderr`/`env`/`cwd()`, its signals, and an exit that
 * sets `process.exitCode` and exits once both streams have flushed (pipes are asynchronous on
 * macOS, so a bare `process.exit` could cut the last message).
 */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    exit: (code) => {
      process.exitCode = code;
      process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
    },
    signals: process,
  };
}

/** A server started by {@link serve}. */
export interface RunningServer {
  /** The listening node:http server. */
  server: Server;
  /** The base URL it answers on, e.g. `http://127.0.0.1:4010` (the real port when `--port 0`). */
  url: string;
  /** The sandbox it serves (its clock, scenarios, journal). */
  sandbox: Sandbox;
  /**
   * Stops listening for the stop signals, closes the server and its open connections. Resolves
   * once the server is closed; calling it again resolves the same way. Does not call `exit`.
   */
  close(): Promise<void>;
}

const listen = (server: Server, host: string, port: number) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });

/**
 * Binds the server. `localhost` (the default) means both loopback addresses, 127.0.0.1 and ::1, on
 * one port, so `http://localhost:<port>` works whichever one the browser or client resolves it to
 * (a second server on ::1 shares the request listener and closes with the first; a machine
 * without IPv6 serves 127.0.0.1 only). Any other host is bound as given.
 * @returns the port bound (the one picked for port 0)
 * @throws Error with code EADDRINUSE and others from `listen`
 */
async function listenOn(server: Server, host: string, port: number): Promise<number> {
  if (host !== 'localhost') return listen(server, host, port);
  const bound = await listen(server, '127.0.0.1', port);
  const v6 = createServer();
  for (const event of ['request', 'clientError'] as const) {
    for (const listener of server.listeners(event)) v6.on(event, listener as (...args: unknown[]) => void);
  }
  try {
    await listen(v6, '::1', bound);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      server.close();
      throw error;
    }
    return bound; // no IPv6 loopback here: 127.0.0.1 serves alone
  }
  const closeV4 = server.close.bind(server);
  const closeAllV4 = server.closeAllConnections.bind(server);
  server.close = ((callback?: (error?: Error) => void) => {
    v6.close();
    return closeV4(callback);
  }) as Server['close'];
  server.closeAllConnections = () => {
    v6.closeAllConnections();
    closeAllV4();
  };
  return bound;
}

/**
 * Starts the server and prints the banner to `io.stdout`. Logs one {@link logLine} per request
 * unless `quiet`; on SIGINT/SIGTERM from `io.signals` prints `<signal>: closing the server`,
 * closes and calls `io.exit(0)`.
 * @param scenarioDefinitions the user's scenarios (see {@link loadStartupScenarios})
 * @param io where to print and which signals to obey (default: the process's, {@link processIo})
 * @returns the running server, closable without a signal
 * @throws Error with code EADDRINUSE (and others from `listen`) when the port cannot be bound;
 *   HttpError 400 for an unknown start-up scenario (checked earlier by loadStartupScenarios)
 */
export async function serve(
  config: CliConfig,
  scenarioDefinitions: readonly LoadedScenario[] = [],
  io: Pick<CliIo, 'stdout' | 'exit' | 'signals'> = processIo(),
): Promise<RunningServer> {
  // A random key beyond loopback: the only randomness outside the seeded generators (issue 7).
  const session = sessionSecretFor(config, () => randomBytes(32).toString('base64url'));
  const sandbox = createSandbox({
    sessionSecret: session.secret,
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
  const slow = setTimeout(() => io.stdout.write('Seeding the data set (the large one takes a while)...\n'), 1_000);
  try {
    await sandbox.ready;
  } finally {
    clearTimeout(slow);
  }
  const app = createRequestListener(sandbox);
  const log = createLineBuffer(io.stdout);
  const server = createServer((req, res) => {
    if (!config.quiet) {
      const started = performance.now();
      res.once('close', () => {
        const ms = (performance.now() - started).toFixed(1);
        const status = logStatus({ headersSent: res.headersSent, finished: res.writableFinished, statusCode: res.statusCode, injected: injectedEndingOf(res) });
        // JSON answers go out with one raw writeHead, which getHeader() cannot read back, so the
        // applied scenario comes from the Response the host keeps (a network error has no headers).
        const response = sandboxResponseOf(res);
        const applied = (response && scenarioAppliedOf(response)) ?? undefined;
        const namespace = req.headers[NAMESPACE_HEADER];
        const line = logLine({
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          status,
          ms,
          requestId: response?.headers.get('x-request-id') ?? undefined,
          applied: applied === undefined ? undefined : String(applied),
          namespace: typeof namespace === 'string' ? namespace : undefined,
        });
        log.push(line);
      });
    }
    void app(req, res);
  });
  handleClientErrors(server, () => sandbox.clock.iso());
  const port = await listenOn(server, config.host, config.port);
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  log.flush();
  io.stdout.write(
    banner(url, config.seed, {
      scenarios: sandbox.scenarios.current().names,
      known: sandbox.scenarios.list().map((scenario) => scenario.name),
      admin: config.admin,
      now: config.now,
      sessionSigning: session.signing,
    }),
  );
  let closed: Promise<void> | undefined;
  const close = () => {
    io.signals.off('SIGINT', stop);
    io.signals.off('SIGTERM', stop);
    closed ??= new Promise<void>((resolve) => {
      server.close(() => {
        log.flush();
        resolve();
      });
      server.closeAllConnections();
    });
    return closed;
  };
  function stop(signal: StopSignal): void {
    log.flush();
    io.stdout.write(`\n${signal}: closing the server\n`);
    void close().then(() => io.exit(0));
  }
  io.signals.once('SIGINT', stop);
  io.signals.once('SIGTERM', stop);
  return { server, url, sandbox, close };
}

/**
 * Runs the command: parses `argv`, prints help or starts the server. Ends through `io.exit`
 * (0 after `--help`, 2 usage or scenario error, 1 start failure, 0 after a stop signal) instead of
 * throwing; errors other than those propagate.
 * @param argv arguments after the script name
 * @param io what to use instead of the process's own stdout, stderr, env, cwd, exit and signals
 * @returns the running server, or undefined when the command has already ended
 */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<RunningServer | undefined> {
  const { stdout, stderr, env, cwd, exit, signals } = { ...processIo(), ...io };
  if (argv[0] === 'openapi') {
    // Loaded only for this command: the generator is not needed to serve (it loads on /openapi.json).
    const { runOpenApiCommand } = await import('./cli-openapi.ts');
    await runOpenApiCommand(argv.slice(1), { stdout, stderr, cwd, exit });
    return undefined;
  }
  let config: CliConfig;
  try {
    config = parseCliArgs(argv, env, cwd);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`nodeloom-sandbox: ${error.message}\nRun nodeloom-sandbox --help for the options.\n`);
    exit(2);
    return undefined;
  }
  if (config.help) {
    stdout.write(USAGE);
    exit(0);
    return undefined;
  }
  let scenarios: LoadedScenario[];
  try {
    scenarios = await loadStartupScenarios(config);
  } catch (error) {
    if (!(error instanceof ScenarioLoadError || error instanceof UsageError)) throw error;
    stderr.write(`nodeloom-sandbox: ${error.message}\n`);
    exit(2);
    return undefined;
  }
  try {
    return await serve(config, scenarios, { stdout, exit, signals });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'EADDRINUSE'
        ? `port ${config.port} on ${config.host} is already in use. Stop the other server, or pass --port <n> (or PORT=<n>); --port 0 picks a free port.`
        : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
          ? `cannot bind to --host ${config.host}: no such local address.`
          : `could not start: ${(error as Error).message}`;
    stderr.write(`nodeloom-sandbox: ${message}\n`);
    exit(1);
    return undefined;
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
