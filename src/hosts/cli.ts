import { createServer, type Server } from 'node:http';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createSandbox, DEFAULT_SEED } from '../sandbox.ts';
import { FIXED_TEAMS, FIXED_TOKENS, FIXED_USERS, SANDBOX_PASSWORD } from '../../fixtures/identities.ts';
import { PLAN_LIMITS } from '../core/rate-limit.ts';
import type { CorsOrigins } from '../core/cors.ts';
import { createApp } from './express.ts';

/**
 * The `nodeloom-sandbox` command (`npm start`, `bin/nodeloom-sandbox.js`): serves a sandbox over
 * HTTP through the express host, prints the fixed identities, logs one line per request.
 * Exit codes: 0 after Ctrl-C/SIGTERM, 1 when the server cannot start (port in use), 2 for bad
 * arguments.
 */

/** The usage text printed by `--help`. */
export const USAGE = `Usage: nodeloom-sandbox [options]

A local, deterministic stand-in for the NodeLoom REST API.

Options:
  -p, --port <n>          port to listen on (default: $PORT or 4010; 0 picks a free port)
      --host <address>    address to bind (default: 127.0.0.1; 0.0.0.0 for every interface)
      --seed <integer>    data seed (default: ${DEFAULT_SEED}); same seed, same data
      --cors-origin <o>   browser origin allowed with credentials; repeatable. 'local' (default:
                          any http(s)://localhost|127.0.0.1|[::1] port), 'any', 'none', or an origin
  -q, --quiet             do not log requests
  -h, --help              show this help
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
}

/** A command-line mistake: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {}

/**
 * Parses the arguments with `util.parseArgs` (strict: unknown options are errors).
 * @param argv arguments after the script name
 * @param env environment (reads `PORT`)
 * @throws UsageError for an unknown option, a non-integer seed, or a port outside 0–65535
 */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string' },
        'cors-origin': { type: 'string', multiple: true },
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
  return { port, host: values.host, seed, corsOrigins: keyword ?? cors, quiet: values.quiet, help: values.help };
}

/** The identities banner: base URL, seed, users, SDK tokens and teams (fixtures/identities.ts). */
export function banner(baseUrl: string, seed: number): string {
  const teamName = (id: string) => FIXED_TEAMS.find((team) => team.id === id)?.name ?? id;
  return [
    `nodeloom-sandbox listening on ${baseUrl}  (seed ${seed})`,
    '',
    `Users (password "${SANDBOX_PASSWORD}", POST /api/auth/login):`,
    table([['EMAIL', 'ROLE', 'TEAM'], ...FIXED_USERS.map((u) => [u.email, u.role, teamName(u.teamId)])]),
    '',
    'SDK tokens (Authorization: Bearer <token>):',
    table([['TOKEN', 'ROLE', 'TEAM'], ...FIXED_TOKENS.map((t) => [t.token, t.role, teamName(t.teamId)])]),
    '',
    'Teams:',
    table([['ID', 'NAME', 'PLAN', 'LIMIT'], ...FIXED_TEAMS.map((t) => [t.id, t.name, t.plan, `${PLAN_LIMITS[t.plan]} req/min`])]),
    '',
    `Try: curl -H 'Authorization: Bearer sdk_sandbox_admin' ${baseUrl}/api/auth/me`,
    'Ctrl-C stops the server.',
    '',
  ].join('\n');
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`.trimEnd()).join('\n');
}

/**
 * Starts the server. Resolves with the listening server; logs `METHOD /path STATUS N.N ms` per
 * request unless `quiet`; closes cleanly (exit 0) on SIGINT/SIGTERM.
 * @throws Error with code EADDRINUSE (and others from `listen`) when the port cannot be bound
 */
export async function serve(config: CliConfig): Promise<Server> {
  const sandbox = createSandbox({ seed: config.seed, corsOrigins: config.corsOrigins });
  await sandbox.ready;
  const app = createApp(sandbox);
  const server = createServer((req, res) => {
    if (!config.quiet) {
      const started = performance.now();
      res.once('close', () => {
        const ms = (performance.now() - started).toFixed(1);
        const status = res.writableFinished ? String(res.statusCode) : `${res.statusCode} (client gone)`;
        process.stdout.write(`${req.method} ${req.url} ${status} ${ms} ms\n`);
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
  process.stdout.write(banner(`http://${host}:${port}`, config.seed));
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
  try {
    await serve(config);
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
