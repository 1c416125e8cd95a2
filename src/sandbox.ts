import { createClock, type Clock } from './core/clock.ts';
import { withCors, type CorsOrigins } from './core/cors.ts';
import { errorResponse, HttpError } from './core/http-error.ts';
import { handleApiRequest, type RequestMeta } from './core/pipeline.ts';
import { json } from './core/respond.ts';
import { RateLimiter } from './core/rate-limit.ts';
import { compileRoutes } from './core/router.ts';
import { createDatabase } from './data/database.ts';
import { createSeededStream } from '../fixtures/entity-faker.ts';
import { seedDatabase } from '../fixtures/seed.ts';
import { apiRoutes } from './routes.ts';
import type { SandboxState } from './state.ts';

/** The default data seed. */
export const DEFAULT_SEED = 20260217;

/** Options of {@link createSandbox}. */
export interface SandboxOptions {
  /** Data seed (integer). Same seed and requests, same bytes. Default {@link DEFAULT_SEED}. */
  seed?: number;
  /**
   * Sandbox start time: epoch ms, ISO-8601 string or Date. Given a start time, the clock starts
   * frozen there (responses are byte-identical run to run) unless `frozen: false`. Default: real
   * time, running.
   */
  now?: number | string | Date;
  /** Whether the clock starts frozen (default: true when `now` is given, else false). */
  frozen?: boolean;
  /**
   * Browser origins allowed to call with credentials (CORS, src/core/cors.ts): `'local'` (default:
   * any http(s) localhost / 127.0.0.1 / [::1] port), `'any'`, `'none'`, or a list of exact origins.
   */
  corsOrigins?: CorsOrigins;
  /** Called with errors no route expected (they answer 500); default `console.error`. */
  onUnexpectedError?: (error: unknown, request: Request) => void;
}

/** One sandbox: an in-memory NodeLoom backend answering Fetch API requests. */
export interface Sandbox {
  /**
   * Answers one request, as the real API would. Never rejects: every failure is a Response with
   * the Spring error body.
   * @param request a Fetch `Request` with an absolute URL (any origin; the path decides)
   * @param meta what the host knows besides the request (client address for per-address limits)
   */
  fetch(request: Request, meta?: RequestMeta): Promise<Response>;
  /** The data seed. */
  readonly seed: number;
  /** The sandbox clock (epoch ms). */
  readonly clock: Clock;
  /** Resolves once the seeded data is built (fetch waits for it by itself). */
  readonly ready: Promise<void>;
  /** Back to the seeded data, rate windows cleared; the clock keeps its current time. */
  reset(): Promise<void>;
  /** @internal The live state (data, clock, limiter), for tests and the control plane. */
  readonly state: SandboxState;
}

/**
 * Creates a sandbox with its own data, clock and rate windows; two sandboxes never share state.
 * Seeding runs in the background; `fetch` waits for it.
 * @throws TypeError when `seed` is not an integer or `now` is not a valid time
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new TypeError(`seed must be an integer, got ${String(options.seed)}`);
  const start = options.now === undefined ? undefined : new Date(options.now).getTime();
  if (start !== undefined && Number.isNaN(start)) throw new TypeError(`now must be a valid time, got ${String(options.now)}`);
  const clock = createClock({ start, frozen: options.frozen });
  const match = compileRoutes(apiRoutes);
  const onUnexpected = options.onUnexpectedError ?? ((error: unknown) => console.error('[nodeloom-sandbox] unexpected error', error));

  let state = buildState(seed, clock, clock.now());
  let ready = seedDatabase(state.db, { seed, epoch: state.epoch });

  const sandbox: Sandbox = {
    seed,
    clock,
    get ready() {
      return ready;
    },
    get state() {
      return state;
    },
    async fetch(request, meta = {}) {
      await ready;
      const url = new URL(request.url);
      if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
        const match_ = match(request.method, url.pathname);
        return (await handleApiRequest(request, url, match_, state, meta, onUnexpected)).response;
      }
      if (url.pathname === '/actuator/health' && request.method === 'GET') return json({ status: 'UP' }); // §1.1
      return errorResponse(
        new HttpError(404, `No endpoint ${request.method} ${url.pathname}. NodeLoom's API lives under /api.`),
        { path: url.pathname, timestamp: clock.iso(), requestId: 'req_none' },
      );
    },
    async reset() {
      await ready;
      state = buildState(seed, clock, state.epoch);
      ready = seedDatabase(state.db, { seed, epoch: state.epoch });
      await ready;
    },
  };
  // --- CORS (src/core/cors.ts): preflights answered before auth and rate limits, same in every host.
  sandbox.fetch = withCors(sandbox.fetch, options.corsOrigins, () => clock.iso());
  // --- end CORS
  return sandbox;
}

function buildState(seed: number, clock: Clock, epoch: number): SandboxState {
  const counters = { requests: 0, ids: 0, random: 0 };
  const stream = createSeededStream(seed, counters);
  return {
    seed,
    epoch,
    db: createDatabase(),
    clock,
    rateLimiter: new RateLimiter(),
    ids: { uuid: stream.uuid },
    random: stream.random,
    counters,
    jwtKey: new TextEncoder().encode(`nodeloom-sandbox-session-key:${seed}`.padEnd(48, '#')),
  };
}
