import { HttpError } from './http-error.ts';

/**
 * Fixed one-minute rate-limit windows, read off the sandbox clock.
 * Source: nodeloom-api.md 1.5 (headers on every response, `X-RateLimit-Reset` in Unix seconds,
 * limits per plan; `Retry-After` in seconds is an [INF] addition no SDK reads).
 */

/** Subscription plans and their requests per minute (nodeloom-api.md 1.5, [INF] enum). */
export const PLAN_LIMITS = {
  FREE: 60,
  STARTER: 300,
  TEAM: 300,
  PRO: 1000,
  BUSINESS: 1000,
  ENTERPRISE: 5000,
} as const;
export type Plan = keyof typeof PLAN_LIMITS;

/** Requests per minute per client address on the public widget routes (SELF security.md, 1.5). */
export const WIDGET_LIMIT = 30;

/** Window length in milliseconds. */
export const WINDOW_MS = 60_000;

/** The state of one key's window after counting a request. */
export interface RateLimitState {
  /** Requests allowed per window. */
  limit: number;
  /** Requests left in this window (never negative). */
  remaining: number;
  /** When the window ends, Unix seconds. */
  reset: number;
  /** Seconds until the window ends (at least 1), for `Retry-After`. */
  retryAfter: number;
  /** Whether this request is over the limit. */
  exceeded: boolean;
}

/**
 * Most keys with a window kept at once: 100,000 (about 10 MB). Keys are principals and client
 * addresses, so only a flood of distinct addresses within one minute reaches it; past it the key
 * whose window opened longest ago is dropped (it counts from zero if it comes back this minute).
 */
export const MAX_RATE_KEYS = 100_000;

/**
 * Counts requests per key in fixed windows aligned to whole minutes of the sandbox clock.
 * Memory stays bounded: windows are kept in the order they opened, so the ones of past minutes
 * sit at the front and are dropped as new windows open (O(1) amortised: each window is dropped
 * once), and at most {@link MAX_RATE_KEYS} keys are kept.
 */
export class RateLimiter {
  /** Insertion order = the order windows opened (a key whose window renews moves to the back). */
  readonly #windows = new Map<string, { start: number; count: number }>();

  /**
   * Counts one request for `key`.
   * @param key who is counted (`token:<id>`, `user:<id>`, `address:<ip>`...)
   * @param limit requests per minute for that key
   * @param now sandbox time, epoch ms
   */
  hit(key: string, limit: number, now: number): RateLimitState {
    const start = Math.floor(now / WINDOW_MS) * WINDOW_MS;
    let window = this.#windows.get(key);
    if (!window || window.start !== start) {
      this.#windows.delete(key);
      this.#dropBefore(start);
      if (this.#windows.size >= MAX_RATE_KEYS) this.#windows.delete(this.#windows.keys().next().value!);
      window = { start, count: 0 };
      this.#windows.set(key, window);
    }
    window.count += 1;
    const end = start + WINDOW_MS;
    return {
      limit,
      remaining: Math.max(0, limit - window.count),
      reset: Math.ceil(end / 1000),
      retryAfter: Math.max(1, Math.ceil((end - now) / 1000)),
      exceeded: window.count > limit,
    };
  }

  /** Every window held as `[key, windowStartMs, count]`, in the order they opened, for snapshots. */
  entries(): Array<[string, number, number]> {
    return [...this.#windows].map(([key, w]) => [key, w.start, w.count]);
  }

  /**
   * Replaces every window with the given ones, in the order {@link entries} gave them (the order
   * they opened), keeping the last {@link MAX_RATE_KEYS}. The snapshot schema checks them first
   * (counts non-negative integers, starts whole minutes).
   */
  load(entries: ReadonlyArray<readonly [string, number, number]>): void {
    this.#windows.clear();
    for (const [key, start, count] of entries.slice(-MAX_RATE_KEYS)) this.#windows.set(key, { start, count });
  }

  /** Number of keys with a window held. */
  get size(): number {
    return this.#windows.size;
  }

  /** Drops windows that opened before `start` from the front (stops at the first newer one). */
  #dropBefore(start: number): void {
    for (const [key, window] of this.#windows) {
      if (window.start >= start) return;
      this.#windows.delete(key);
    }
  }

  /** Forgets every window (used by reset). */
  clear(): void {
    this.#windows.clear();
  }
}

/**
 * The one 429 of the sandbox (nodeloom-api.md 1.5): the Spring body naming the limit and when to
 * retry, with `Retry-After` in seconds ([INF]; no SDK reads it, harmless).
 */
export function tooManyRequests(state: Pick<RateLimitState, 'limit' | 'reset' | 'retryAfter'>): HttpError {
  return new HttpError(
    429,
    `Rate limit of ${state.limit} requests per minute exceeded. Retry after ${state.retryAfter} s (X-RateLimit-Reset ${state.reset}).`,
    [['retry-after', String(state.retryAfter)]],
  );
}

/**
 * The state of a window that is exhausted until its end (the `rate-limited` scenario), epoch ms `now`.
 */
export function exhaustedState(limit: number, now: number): RateLimitState {
  const end = (Math.floor(now / WINDOW_MS) + 1) * WINDOW_MS;
  return { limit, remaining: 0, reset: Math.ceil(end / 1000), retryAfter: Math.max(1, Math.ceil((end - now) / 1000)), exceeded: true };
}

/** The three `X-RateLimit-*` headers for a state, as `[name, value]` pairs. */
export function rateLimitHeaders(state: RateLimitState): Array<[string, string]> {
  return [
    ['x-ratelimit-limit', String(state.limit)],
    ['x-ratelimit-remaining', String(state.remaining)],
    ['x-ratelimit-reset', String(state.reset)],
  ];
}
