import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { freePort, processTarget, startNodeFlags } from './processes.ts';
import { ACME_TEAM_ID, createSandbox, FIXED_USERS, type Sandbox } from '../src/index.ts';
import { createApp } from '../src/hosts/express.ts';

/**
 * The three servers the bench compares, all on 127.0.0.1 ports chosen by the OS: the sandbox
 * behind the express host, a plain express 5 route sending the same bytes precomputed, and a bare
 * node:http server doing the same (the machine's ceiling).
 */

/** The measured request: a page of 20 Acme workflows (nodeloom-api.md 3.2 #1). */
export const BENCH_PATH = `/api/workflows?teamId=${ACME_TEAM_ID}&page=0&size=20`;
/** A fixed sandbox time, so every answer has the same body bytes as the precomputed one. */
export const BENCH_NOW = '2026-11-01T12:00:00.000Z';

/** A started server. */
export interface Target {
  name: string;
  port: number;
  /** The server's process id when it runs in its own process (the CLI, the peers). */
  pid?: number;
  close(): Promise<void>;
}

/** The sandbox prepared for the bench and the precomputed answer of {@link BENCH_PATH}. */
export interface BenchSandbox {
  sandbox: Sandbox;
  /** SDK tokens to rotate: `sdk_sandbox_admin` plus the bench's own Acme admin tokens. */
  tokens: string[];
  /** The answer's body bytes and headers, as the sandbox sends them. */
  body: Buffer;
  headers: Array<[string, string]>;
}

/**
 * Creates a sandbox whose rate limit does not end the bench. The core is not changed: the limit
 * is per token and per plan (1,000/min on Acme's BUSINESS plan would 429 within a second), so the
 * bench moves Acme to ENTERPRISE (5,000/min) and inserts `extraTokens` Acme ADMIN tokens created by
 * the Acme admin into `sandbox.state.db`. The load rotates over them; every request still runs the
 * whole pipeline (token lookup, rate-limit accounting, RBAC, paging) and must answer 200.
 * @param extraTokens how many bench tokens to add (capacity: (1 + extraTokens) × 5,000 per minute)
 */
export async function prepareSandbox(extraTokens: number): Promise<BenchSandbox> {
  const sandbox = createSandbox({ now: BENCH_NOW });
  await sandbox.ready;
  const { db } = sandbox.state;
  await db.teams.update(ACME_TEAM_ID, { plan: 'ENTERPRISE' });
  const tokens = ['sdk_sandbox_admin'];
  for (let i = 0; i < extraTokens; i += 1) {
    const token = `sdk_bench_${String(i).padStart(3, '0')}`;
    await db.sdkTokens.insert({
      id: `00000000-0000-4000-8000-0000be${String(i).padStart(6, '0')}`,
      name: `bench-${i}`,
      token,
      teamId: ACME_TEAM_ID,
      role: 'ADMIN',
      createdBy: FIXED_USERS[0]!.id,
      createdAt: BENCH_NOW,
      lastUsedAt: null,
      revoked: false,
    });
    tokens.push(token);
  }
  const response = await sandbox.fetch(new Request(`http://127.0.0.1${BENCH_PATH}`, { headers: { authorization: 'Bearer sdk_sandbox_admin' } }));
  if (response.status !== 200) throw new Error(`bench request answered ${response.status}: ${await response.text()}`);
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Array<[string, string]> = [];
  response.headers.forEach((value, name) => headers.push([name, value]));
  return { sandbox, tokens, body, headers };
}

/** Starts the sandbox's express host. */
export function sandboxTarget(sandbox: Sandbox): Promise<Target> {
  return start('sandbox (express host)', createServer(createApp(sandbox)));
}

/** Starts a plain express 5 app (no ETag, no X-Powered-By) whose route sends the precomputed bytes. */
export function expressPlainTarget(body: Buffer, headers: Array<[string, string]>): Promise<Target> {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/api/workflows', (_req, res) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    res.end(body);
  });
  return start('express 5 route, res.end(bytes)', createServer(app));
}

/** Starts a bare node:http server answering every request with the precomputed bytes. */
export function nodeHttpTarget(body: Buffer, headers: Array<[string, string]>): Promise<Target> {
  const head = Object.fromEntries(headers);
  return start('bare node:http, res.end(bytes)', createServer((_req, res) => {
    res.writeHead(200, head);
    res.end(body);
  }));
}

async function start(name: string, server: Server): Promise<Target> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    name,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Starts the sandbox's own command (`node bin/nodeloom-sandbox.js`, the built dist/cli.mjs on
 * node:http, what `npm start` runs) with the bench's clock and per-request log line (`quiet`
 * false), then restores the bench sandbox's snapshot into it through `PUT /__sandbox/snapshot`, so
 * it holds the same tokens and plan and answers the same bytes. Needs dist/ (`npm run build`).
 * @param quiet run with `--quiet` (no log line), to measure what the log line costs
 */
export async function cliTarget(bench: BenchSandbox, quiet = false): Promise<Target> {
  const port = await freePort();
  const bin = fileURLToPath(new URL('../bin/nodeloom-sandbox.js', import.meta.url));
  const target = await processTarget({
    name: quiet ? 'sandbox CLI --quiet (no log line)' : 'sandbox CLI (npm start, node:http)',
    command: process.execPath,
    args: [...startNodeFlags(), bin, '--port', String(port), '--host', '127.0.0.1', '--now', BENCH_NOW, ...(quiet ? ['--quiet'] : [])],
    port,
    readyUrl: `http://127.0.0.1:${port}/api/workflows`,
    headers: { authorization: 'Bearer sdk_sandbox_admin' },
  });
  const restored = await fetch(`http://127.0.0.1:${port}/__sandbox/snapshot`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(await bench.sandbox.snapshot()),
  });
  if (restored.status !== 200) throw new Error(`restoring the bench snapshot into the CLI answered ${restored.status}: ${await restored.text()}`);
  return target;
}

/** Starts a plain express 5 app whose route sends the page with `res.json` (serialised per request). */
export function expressJsonTarget(body: Buffer, headers: Array<[string, string]>): Promise<Target> {
  const page: unknown = JSON.parse(body.toString('utf8'));
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/api/workflows', (_req, res) => {
    for (const [name, value] of headers) if (name !== 'content-length' && name !== 'content-type') res.setHeader(name, value);
    res.json(page);
  });
  return start('express 5 route, res.json(page)', createServer(app));
}
