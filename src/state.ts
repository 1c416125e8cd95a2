import type { SessionKey } from './core/session.ts';
import type { Clock } from './core/clock.ts';
import type { Directory } from './core/identity.ts';
import type { RateLimiter } from './core/rate-limit.ts';
import type { CoreState } from './core/route.ts';
import type { Database } from './database.ts';

/**
 * Everything one data set of one namespace owns: the data and the seeded id source, plus the
 * namespace's clock and rate windows (shared by its data sets). Handlers and services receive it;
 * nothing lives in module scope.
 */
export interface SandboxState extends CoreState {
  /** The seed the data was built from. */
  readonly seed: number;
  /** Sandbox time at which the data was seeded, epoch ms (seeded history lies before it). */
  readonly epoch: number;
  readonly db: Database;
  readonly clock: Clock;
  readonly rateLimiter: RateLimiter;
  /** Seeded source of new record ids (UUID v4 strings): the n-th id depends on (seed, n) only. */
  readonly ids: { uuid(): string };
  /** Seeded random numbers in [0, 1) for runtime decisions (never `Math.random`). */
  readonly random: () => number;
  /** Identity lookups for auth, RBAC and rate limits, over `db`; `lastUsed` holds token use times (ISO-8601). */
  readonly directory: Directory & { readonly lastUsed: Map<string, string> };
  /** HMAC key for session JWTs (HS256), as a realm-safe JWK (src/core/session.ts). */
  readonly jwtKey: SessionKey;
  /** Counters behind new ids and random draws (kept in snapshots). */
  readonly counters: { ids: number; random: number };
  /** Agent chat settings: real-time delay before each streamed token, ms (0: the whole reply at once). */
  readonly chat: { readonly tokenDelayMs: number };
}
