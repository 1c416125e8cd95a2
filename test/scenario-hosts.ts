import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createSandbox, type Sandbox, type SandboxOptions } from 'nodeloom-sandbox';
import { createApp } from 'nodeloom-sandbox/express';
import { createHandlers } from 'nodeloom-sandbox/msw';
import { TEST_NOW, testSandbox, jsonOf } from './helpers.ts';

/**
 * Serves test sandboxes through a host: (a) the express host over loopback (port 0) or (b) msw
 * `setupServer`, each sandbox created with the same seed and `now` unless a test says otherwise.
 * Each msw host answers its own origin (`https://msw-<n>.nodeloom.test`), so several sandboxes can
 * be up in one test and express's loopback calls pass through msw untouched.
 */

/** The hosts a sandbox can be served through. */
export const HOST_NAMES = ['express', 'msw'] as const;
export type HostName = (typeof HOST_NAMES)[number];

/**
 * The host the scenario behaviour tests (test/scenarios-*.test.ts) run in: express, whose faults
 * are real socket events (a reset connection, a client that gives up). That msw answers the same
 * is proved once, by the scenario rows of test/conformance.test.ts, not by every scenario test.
 */
export const SCENARIO_HOST: HostName = 'express';

/** The seed of every scenario test sandbox unless a test says otherwise. */
export const SCENARIO_SEED = 4242;

/** The built-in catalogue (scenarios/index.ts), sorted. */
export const BUILT_IN = ['chat-dropped', 'chat-echo', 'chat-error-mid-stream', 'chat-slow', 'conflict', 'empty', 'expired-session', 'flaky', 'forbidden', 'large', 'rate-limited', 'server-error', 'slow', 'timeout', 'unavailable'];

export const ADMIN = 'sdk_sandbox_admin';
export const VIEWER = 'sdk_sandbox_viewer';
export const OPERATOR = 'sdk_sandbox_operator';
export const HOBBY = 'sdk_sandbox_hobby';

/** What to send besides method and path. */
export interface SendOptions {
  /** `sdk_...` token, sent as `Authorization: Bearer`. */
  token?: string;
  /** Raw `Cookie` header value. */
  cookie?: string;
  /** JSON body. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A response with its body read. */
export interface HostResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
  /** Real time from sending to the body being read, ms. */
  elapsedMs: number;
}

/** A fetch that rejected (connection reset, `Response.error()`, abort). */
export interface NetworkFailure {
  status: 'network-error';
  error: Error & { cause?: { code?: string } };
  elapsedMs: number;
}

/** One host serving one sandbox. */
export interface Host {
  name: HostName;
  sandbox: Sandbox;
  /** Origin requests go to. */
  base: string;
  /** Sends a request; rejects when the connection fails. */
  send(method: string, path: string, options?: SendOptions): Promise<HostResponse>;
  /** Sends a request; a rejected fetch resolves to a {@link NetworkFailure}. */
  attempt(method: string, path: string, options?: SendOptions): Promise<HostResponse | NetworkFailure>;
}

/**
 * Registers the hooks (msw listening for the file, servers closed and handlers reset after each
 * test) and returns `start(host, options)`, which creates a sandbox (seed {@link SCENARIO_SEED},
 * frozen at {@link TEST_NOW} unless `options` say otherwise), serves it, and waits until it is seeded.
 */
export function useHosts(): (name: HostName, options?: SandboxOptions) => Promise<Host> {
  const msw = setupServer();
  const servers: Server[] = [];
  let mswOrigins = 0;
  beforeAll(() => msw.listen({ onUnhandledRequest: 'bypass' }));
  afterEach(async () => {
    msw.resetHandlers();
    await Promise.all(
      servers.splice(0).map((server) => {
        const closed = new Promise((resolve) => server.close(resolve));
        server.closeAllConnections();
        return closed;
      }),
    );
  });
  afterAll(() => msw.close());

  return async (name, options = {}) => {
    const sandbox = createSandbox({ seed: SCENARIO_SEED, now: TEST_NOW, ...options });
    await sandbox.ready;
    let base: string;
    if (name === 'express') {
      const server = await new Promise<Server>((resolve) => {
        const s = createApp(sandbox).listen(0, '127.0.0.1', () => resolve(s));
      });
      servers.push(server);
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    } else {
      mswOrigins += 1;
      base = `https://msw-${mswOrigins}.nodeloom.test`;
      msw.use(...createHandlers(sandbox, { origins: [base] }));
    }
    const send = (method: string, path: string, options?: SendOptions) => sendTo(base, method, path, options);
    const attempt = async (method: string, path: string, options?: SendOptions) => {
      const started = performance.now();
      try {
        return await send(method, path, options);
      } catch (error) {
        return { status: 'network-error', error: error as NetworkFailure['error'], elapsedMs: performance.now() - started } as NetworkFailure;
      }
    };
    return { name, sandbox, base, send, attempt };
  };
}

async function sendTo(base: string, method: string, path: string, options: SendOptions = {}): Promise<HostResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const started = performance.now();
  const response = await fetch(`${base}${path}`, { method, headers, body, signal: options.signal });
  const text = await response.text();
  const json = jsonOf(text);
  return { status: response.status, headers: response.headers, text, json, elapsedMs: performance.now() - started };
}

/** Logs a fixed user in through a host and returns the `Cookie` header value for later calls. */
export async function loginVia(host: Pick<Host, 'send'>, email: string): Promise<string> {
  const response = await host.send('POST', '/api/auth/login', { body: { email, password: 'sandbox' } });
  expect(response.status, response.text).toBe(200);
  return response.headers.getSetCookie()[0]!.split(';')[0]!;
}

/** The parts of a response {@link expectSpringError} reads (a {@link HostResponse} or helpers' `call` result). */
export interface ResponseLike {
  status: number;
  headers: Headers;
  json: any;
  text?: string;
}

/**
 * Asserts the Spring error body (nodeloom-api.md 1.4): exactly `{status, error, message,
 * timestamp, path, requestId}` with the reason phrase, the sandbox time, the request path and the
 * response's `X-Request-Id`, served as `application/json`.
 * @returns the message, for further assertions
 */
export function expectSpringError(response: ResponseLike, status: number, error: string, path: string, timestamp: string = TEST_NOW): string {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(response.json).toEqual({
    status,
    error,
    message: expect.any(String),
    timestamp,
    path,
    requestId: response.headers.get('x-request-id') ?? 'control',
  });
  return response.json.message;
}

/** The `X-Sandbox-Scenario-Applied` header, or null. */
export function appliedOf(response: Pick<ResponseLike, 'headers'>): string | null {
  return response.headers.get('x-sandbox-scenario-applied');
}

/** A short outcome label: the status, or `network` for a rejected fetch. */
export function outcomeLabel(outcome: HostResponse | NetworkFailure): string {
  return outcome.status === 'network-error' ? 'network' : String(outcome.status);
}

/**
 * An in-process sandbox (frozen at {@link TEST_NOW}) with no scenarios on, freshly reset: one per
 * seed and test file, reset before each use (a reset reuses the seeded data, so it is several
 * times faster than creating a sandbox).
 */
export async function fresh(seed = SCENARIO_SEED): Promise<Sandbox> {
  let sandbox = pool.get(seed);
  if (!sandbox) pool.set(seed, (sandbox = testSandbox({ seed })));
  await sandbox.reset();
  expect(sandbox.scenarios.current()).toEqual({ names: [], since: null, bindings: {} });
  expect(sandbox.journal.list()).toEqual([]);
  return sandbox;
}
const pool = new Map<number, Sandbox>();
