import { parseArgs } from 'node:util';
import { DEFAULT_SEED } from '../sandbox.ts';
import { BUILT_IN_SCENARIOS } from '../../scenarios/index.ts';
import type { CorsOrigins } from '../core/cors.ts';
import { splitScenarioNames } from '../scenarios/registry.ts';
import { defaultScenariosDir } from './load-scenarios.ts';

/** Command-line arguments of `nodeloom-sandbox` (src/hosts/cli.ts), parsed with `util.parseArgs`. */

/** `text` broken into lines of at most `width` columns, each indented by `indent` spaces. */
function wrap(text: string, indent: number, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => ' '.repeat(indent) + l).join('\n');
}

/** The usage text printed by `--help`. */
export const USAGE = `Usage: nodeloom-sandbox [options]
       nodeloom-sandbox openapi [--out <file>] [--format json|yaml] [--server <url>]
                                   print or write the OpenAPI 3.1 document (openapi --help)

A local, deterministic stand-in for the NodeLoom REST API.

Options:
  -p, --port <n>            port to listen on (default: $PORT or 4010; 0 picks a free port)
      --host <address>      address to bind (default: localhost, i.e. 127.0.0.1 and ::1; 0.0.0.0
                            for every interface)
      --seed <integer>      data seed (default: ${DEFAULT_SEED}); same seed, same data
      --now <ISO-8601>      start with the clock frozen at this time, e.g. 2026-02-17T09:00:00Z
                            (byte-identical answers run to run); default: real time, running
      --cors-origin <o>     browser origin allowed with credentials; repeatable. 'local' (default:
                            any http(s)://localhost|127.0.0.1|[::1] port), 'any', 'none', or an origin.
                            The list replaces the default: add 'local' to keep localhost
  -s, --scenario <names>    switch scenarios on at start: comma-separated and/or repeated
                            (default: $SANDBOX_SCENARIO). Built-in:
${wrap(BUILT_IN_SCENARIOS.map((s) => s.name).join(', '), 28, 100)}
      --scenarios-dir <dir> load your own scenarios from *.json, *.js, *.mjs, *.ts files in <dir>
                            (default: ./scenarios when it exists)
      --no-admin            turn the /__sandbox control plane off (its paths answer 404)
      --admin-token <t>     protect the control plane: requests must send X-Sandbox-Admin-Token: <t>
                            (default: $SANDBOX_ADMIN_TOKEN; unset: unprotected)
      --chat-token-delay <ms>
                            real-time delay before each token of a streamed chat reply
                            (default: 15; 0 sends the whole reply at once)
      --session-secret <s>  sign session cookies with this secret (32+ characters; default:
                            $SANDBOX_SESSION_SECRET, else a key derived from the seed on loopback,
                            a random one when --host reaches beyond loopback)
      --journal-size <n>    requests kept in each namespace's journal (default: 500)
      --max-namespaces <n>  X-Sandbox-Namespace namespaces kept besides the default one; the least
                            recently used is dropped past it (default: 50)
  -q, --quiet               do not log requests
  -h, --help                show this help

Per request: X-Sandbox-Scenario: <names> (or ?__scenario=<names>) switches scenarios for one
request (none: no scenario); X-Sandbox-Namespace: <name> selects an isolated copy of the data. At run time:
PUT /__sandbox/scenario {"names": [...]}, POST /__sandbox/reset, PUT /__sandbox/clock.
`;

/** The parsed command line. */
export interface CliConfig {
  /** TCP port (0: any free port). */
  port: number;
  /** Address to bind. */
  host: string;
  /** Data seed (safe integer). */
  seed: number;
  /** Browser origins allowed with credentials (src/core/cors.ts). */
  corsOrigins: CorsOrigins;
  /** No per-request log lines. */
  quiet: boolean;
  /** Print the usage and exit. */
  help: boolean;
  /** Scenario names switched on at start (`--scenario`, else `SANDBOX_SCENARIO`), in order. */
  scenarios: string[];
  /** Where the scenarios came from, for messages: `--scenario`, `SANDBOX_SCENARIO` or undefined. */
  scenariosFrom?: '--scenario' | 'SANDBOX_SCENARIO';
  /** Folder of the user's scenario files (`--scenarios-dir`, else `./scenarios` when it exists). */
  scenariosDir?: string;
  /** The control plane: on, off (`--no-admin`) or protected by a token. */
  admin: boolean | { token: string };
  /** Journal entries kept per namespace (undefined: the sandbox default). */
  journalSize?: number;
  /** Namespaces kept besides the default one (undefined: the sandbox default). */
  maxNamespaces?: number;
  /** Start time, ISO-8601, the clock frozen there (undefined: real time). */
  now?: string;
  /** Delay before each streamed chat token, ms (`--chat-token-delay`; undefined: the sandbox default). */
  chatTokenDelayMs?: number;
  /** `--session-secret`, else `SANDBOX_SESSION_SECRET` (undefined: see {@link sessionSecretFor}). */
  sessionSecret?: string;
}

/** A command-line mistake: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {}

/** ISO-8601 date, or date-time with a zone (`Z` or ±hh:mm), so `--now` means the same instant everywhere. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/i;

/** A positive integer option value. @throws UsageError naming the option otherwise */
function positiveInteger(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${option} must be a positive integer, got '${text}'`);
  }
  return value;
}

/**
 * Parses the arguments with `util.parseArgs` (strict: unknown options are errors).
 * @param argv arguments after the script name
 * @param env environment (reads `PORT`, `SANDBOX_SCENARIO`, `SANDBOX_ADMIN_TOKEN`)
 * @param cwd working directory, for the default `./scenarios` folder
 * @throws UsageError for an unknown option, a non-integer seed, a port outside 0–65535, a bad
 *   origin, a non-positive `--journal-size`/`--max-namespaces`, a `--now` that is not an ISO-8601
 *   instant, an empty `--admin-token`, `--no-admin` with `--admin-token`, or a `--chat-token-delay`
 *   that is not 0-60000 ms
 */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): CliConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string', default: 'localhost' },
        seed: { type: 'string' },
        'cors-origin': { type: 'string', multiple: true },
        now: { type: 'string' },
        scenario: { type: 'string', short: 's', multiple: true },
        'scenarios-dir': { type: 'string' },
        'no-admin': { type: 'boolean', default: false },
        'admin-token': { type: 'string' },
        'journal-size': { type: 'string' },
        'chat-token-delay': { type: 'string' },
        'max-namespaces': { type: 'string' },
        'session-secret': { type: 'string' },
        quiet: { type: 'boolean', short: 'q', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const portText = values.port ?? (env.PORT || '4010');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new UsageError(`--port must be an integer from 0 to 65535, got '${portText}'${values.port === undefined ? ' (from PORT)' : ''}`);
  }
  const seedText = values.seed ?? String(DEFAULT_SEED);
  const seed = Number(seedText);
  if (!/^-?\d+$/.test(seedText) || !Number.isSafeInteger(seed)) {
    throw new UsageError(`--seed must be an integer (e.g. --seed 42), got '${seedText}'`);
  }
  const cors = values['cors-origin'] ?? ['local'];
  const keyword = cors.length === 1 && ['local', 'any', 'none'].includes(cors[0]!) ? (cors[0] as CorsOrigins) : undefined;
  for (const origin of cors) {
    if (origin !== 'local' && !keyword && !/^https?:\/\/[^/\s]+$/i.test(origin)) {
      throw new UsageError(`--cors-origin must be 'local', 'any', 'none' or an origin like http://localhost:5173, got '${origin}'`);
    }
  }
  const config: CliConfig = {
    port,
    host: values.host,
    seed,
    corsOrigins: keyword ?? cors,
    quiet: values.quiet,
    help: values.help,
    scenarios: [],
    admin: true,
  };
  if (values.scenario !== undefined) {
    config.scenarios = values.scenario.flatMap(splitScenarioNames);
    config.scenariosFrom = '--scenario';
  } else if (env.SANDBOX_SCENARIO) {
    config.scenarios = splitScenarioNames(env.SANDBOX_SCENARIO);
    config.scenariosFrom = 'SANDBOX_SCENARIO';
  }
  config.scenarios = [...new Set(config.scenarios)];
  const dir = values['scenarios-dir'];
  if (dir === '') throw new UsageError('--scenarios-dir needs a folder, e.g. --scenarios-dir ./scenarios');
  config.scenariosDir = dir ?? defaultScenariosDir(cwd);
  const token = values['admin-token'];
  if (values['no-admin']) {
    if (token !== undefined) throw new UsageError('--no-admin turns the control plane off; --admin-token protects it: give one of them');
    config.admin = false;
  } else if (token !== undefined || env.SANDBOX_ADMIN_TOKEN) {
    const value = token ?? env.SANDBOX_ADMIN_TOKEN!;
    if (value.trim() === '') throw new UsageError('--admin-token must not be empty');
    config.admin = { token: value };
  }
  config.journalSize = positiveInteger('--journal-size', values['journal-size']);
  config.maxNamespaces = positiveInteger('--max-namespaces', values['max-namespaces']);
  const delay = values['chat-token-delay'];
  if (delay !== undefined) {
    if (!/^\d+$/.test(delay) || Number(delay) > 60_000) {
      throw new UsageError(`--chat-token-delay must be a whole number of milliseconds from 0 to 60000, got '${delay}'`);
    }
    config.chatTokenDelayMs = Number(delay);
  }
  const secret = values['session-secret'] ?? (env.SANDBOX_SESSION_SECRET || undefined);
  if (secret !== undefined) {
    if (secret.length < 32 || !/^[\x20-\x7e]+$/.test(secret)) {
      throw new UsageError(
        `--session-secret must be printable ASCII of at least 32 characters (an HS256 key of 256 bits), got ${secret.length} character(s)${values['session-secret'] === undefined ? ' (from SANDBOX_SESSION_SECRET)' : ''}`,
      );
    }
    config.sessionSecret = secret;
  }
  if (values.now !== undefined) {
    if (!ISO_INSTANT.test(values.now) || Number.isNaN(Date.parse(values.now))) {
      throw new UsageError(`--now must be an ISO-8601 date or date-time with a zone (e.g. 2026-02-17T09:00:00Z), got '${values.now}'`);
    }
    config.now = new Date(values.now).toISOString();
  }
  return config;
}

/**
 * Whether `host` (the `--host` value) only accepts connections from this machine: `localhost`,
 * `127.0.0.0/8` or `::1`. Anything else (`0.0.0.0`, `::`, a LAN address, a name) reaches beyond.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}

/** How the CLI's session cookies are signed: what {@link sessionSecretFor} chose, for the banner. */
export type SessionSigning = 'secret' | 'seed' | 'random';

/**
 * The session secret the CLI runs with (issue 7): `--session-secret`/`SANDBOX_SESSION_SECRET` when
 * given; else, on loopback, none (the sandbox derives the key from the seed: byte-identical runs);
 * else a random one from `randomSecret`, so nobody who reads the printed seed can forge a session on
 * a server others can reach.
 * @param randomSecret a source of a fresh secret (the CLI: 32 random bytes, base64url)
 */
export function sessionSecretFor(config: Pick<CliConfig, 'host' | 'sessionSecret'>, randomSecret: () => string): { secret?: string; signing: SessionSigning } {
  if (config.sessionSecret !== undefined) return { secret: config.sessionSecret, signing: 'secret' };
  if (isLoopbackHost(config.host)) return { signing: 'seed' };
  return { secret: randomSecret(), signing: 'random' };
}
