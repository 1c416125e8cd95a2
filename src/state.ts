import type { Clock } from './core/clock.ts';
import type { RateLimiter } from './core/rate-limit.ts';
import type { Database } from './data/database.ts';

/**
 * Everything one sandbox (later: one namespace of it) owns: data, clock, rate windows and the
 * seeded id source. Handlers and services receive it; nothing lives in module scope.
 */
export interface SandboxState {
  /** The seed the data was built from. */
  readonly seed: number;
  /** Sandbox time at which the data was seeded, epoch ms (seeded history lies before it). */
  readonly epoch: number;
  readonly db: Database;
  readonly clock: Clock;
  readonly rateLimiter: RateLimiter;
  /** Seeded source of new record ids (UUID v4 strings). */
  readonly ids: { uuid(): string };
  /** Seeded random numbers in [0, 1) for runtime decisions (never `Math.random`). */
  readonly random: () => number;
  /** HMAC key for session JWTs (HS256). */
  readonly jwtKey: Uint8Array;
  /** Counter behind request ids (`req_000001`...). */
  requestCount: number;
}
