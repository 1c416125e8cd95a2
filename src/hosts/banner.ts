import { DEFAULT_NAMESPACE } from '../sandbox.ts';
import { FIXED_TEAMS, FIXED_TOKENS, FIXED_USERS, SANDBOX_PASSWORD } from '../../fixtures/identities.ts';
import { FIXED_WIDGETS } from '../../fixtures/fixed-widgets.ts';
import { ADMIN_TOKEN_HEADER } from '../admin/control-plane.ts';
import { PLAN_LIMITS } from '../core/rate-limit.ts';
import { clip } from '../core/clip.ts';
import { boundUrlPart } from '../core/journal.ts';

/** What the CLI prints: the start banner and one line per request. */

/** What the banner says besides the identities. */
export interface BannerInfo {
  /** Scenarios on at start. */
  scenarios: readonly string[];
  /** Every known scenario name. */
  known: readonly string[];
  /** The control plane setting. */
  admin: boolean | { token: string };
  /** The frozen start time, ISO-8601 (omit for real time). */
  now?: string;
  /** How session cookies are signed (omit: not said). */
  sessionSigning?: 'secret' | 'seed' | 'random';
}

/**
 * The start banner: base URL, seed, users, SDK tokens, widget embed tokens and teams (fixtures), then the
 * scenarios (active and known), the control plane URL (or "off") and the clock.
 */
export function banner(baseUrl: string, seed: number, info?: BannerInfo): string {
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
    'Widget embed tokens (/widget.js data-token, /api/public/widgets/<token>/...):',
    table([['TOKEN', 'TEAM', 'ALLOWED ORIGINS'], ...FIXED_WIDGETS.map((w) => [w.token, teamName(w.teamId), w.allowedDomains.length ? w.allowedDomains.join(', ') : 'any'])]),
    '',
    'Teams:',
    table([['ID', 'NAME', 'PLAN', 'LIMIT'], ...FIXED_TEAMS.map((t) => [t.id, t.name, t.plan, `${PLAN_LIMITS[t.plan]} req/min`])]),
    '',
    ...(info ? [...statusLines(baseUrl, info), ''] : []),
    `Try: curl -H 'Authorization: Bearer sdk_sandbox_admin' ${baseUrl}/api/auth/me`,
    'Ctrl-C stops the server.',
    '',
  ].join('\n');
}

function statusLines(baseUrl: string, info: BannerInfo): string[] {
  const admin =
    info.admin === false
      ? 'off (--no-admin)'
      : `${baseUrl}/__sandbox${typeof info.admin === 'object' ? ` (send ${headerName(ADMIN_TOKEN_HEADER)}: <the --admin-token or SANDBOX_ADMIN_TOKEN value>)` : ''}`;
  return [
    `Scenarios: ${info.scenarios.length ? info.scenarios.join(', ') : 'none'} (known: ${info.known.join(', ')})`,
    `Control plane: ${admin}`,
    `Clock: ${info.now ? `frozen at ${info.now}` : 'real time'}`,
    ...(info.sessionSigning ? [`Sessions: ${SESSION_SIGNING[info.sessionSigning]}`] : []),
    ...(info.admin === false ? [] : [`Control page: ${baseUrl}/__sandbox/ (open it in a browser)`]),
  ];
}

const SESSION_SIGNING = {
  secret: 'cookies signed with --session-secret',
  seed: 'cookies signed with a key derived from the seed (loopback only: byte-identical runs)',
  random: 'cookies signed with a random key (listening beyond loopback; --session-secret for one that survives restarts)',
} as const;

/** `x-sandbox-admin-token` → `X-Sandbox-Admin-Token`. */
function headerName(lower: string): string {
  return lower.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

/**
 * The status part of a log line: the status code; `N (client gone)` when the client left before
 * the body ended; `N (stream cut on purpose)` / `no response (connection reset on purpose)` when a
 * scenario made the host fail the stream or reset the connection (`injected`, from the node host),
 * so an injected failure does not read as a client or server problem; `no response (connection
 * closed)` when the connection closed before any answer.
 */
export function logStatus(res: { headersSent: boolean; finished: boolean; statusCode: number; injected?: 'network-error' | 'stream-cut' }): string {
  if (res.injected === 'network-error') return 'no response (connection reset on purpose)';
  if (!res.headersSent) return 'no response (connection closed)';
  if (res.finished) return String(res.statusCode);
  return `${res.statusCode} (${res.injected === 'stream-cut' ? 'stream cut on purpose' : 'client gone'})`;
}

/**
 * The per-request log line: `METHOD /url STATUS N.N ms`, then the request id (the answer's
 * `X-Request-Id`, as the journal has it), the `X-Sandbox-Scenario-Applied` value and the namespace
 * when they are there. The caller's text is bounded: the URL as the journal bounds it (2,048
 * characters), the namespace header to 64 (the longest valid name), each marked with its length when cut.
 */
export function logLine(entry: { method: string; url: string; status: string; ms: string; requestId?: string; applied?: string; namespace?: string }): string {
  let line = `${entry.method} ${boundUrlPart(entry.url)} ${entry.status} ${entry.ms} ms`;
  if (entry.requestId) line += `  ${entry.requestId}`;
  if (entry.applied) line += `  scenario: ${entry.applied}`;
  if (entry.namespace && entry.namespace !== DEFAULT_NAMESPACE) line += `  namespace: ${clip(entry.namespace)}`;
  return line;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`.trimEnd()).join('\n');
}
