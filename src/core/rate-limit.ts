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

/** Counts requests per key in fixed windows aligned to whole minutes of the sandbox clock. */
export class RateLimiter {
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

  /** Every open window as `[key, windowStartMs, count]`, for snapshots. */
  entries(): Array<[string, number, number]> {
    return [...this.#windows].map(([key, w]) => [key, w.start, w.count]);
  }

  /** Replaces every window with the given ones (from {@link entries}). */
  load(entries: ReadonlyArray<readonly [string, number, number]>): void {
    this.#windows.clear();
    for (const [key, start, count] of entries) this.#windows.set(key, { start, count });
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
