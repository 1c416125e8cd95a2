import { HttpError } from '../core/http-error.ts';
import type { Principal } from '../core/principal.ts';
import type { RateLimitState } from '../core/rate-limit.ts';
import { clearedSessionCookie } from '../core/session.ts';
import type { TerminalEffect } from './engine.ts';
import { windowEnd } from './engine.ts';

/**
 * Turns a scenario's terminal effect into what the real server would have answered: an
 * {@link HttpError} with the Spring body and the right headers, or a network failure.
 */

/** A network failure: the express host resets the connection; msw gets `Response.error()`. */
export const NETWORK_ERROR = Symbol('network-error');

/**
 * Waits `ms` milliseconds of real time (scenario latency and stalls are felt by real clients, so
 * they do not follow the sandbox clock). Resolves early when `signal` aborts.
 */
export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    // In Node, a pending stall must not keep a stopping process alive.
    (timer as { unref?: () => void }).unref?.();
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

const DEFAULT_MESSAGES: Partial<Record<number, string>> = {
  400: 'Bad request.',
  401: 'Authentication required.',
  403: 'Access denied.',
  404: 'Resource not found.',
  409: 'The request conflicts with the current state of the resource.',
  429: 'Rate limit exceeded.',
  500: 'An unexpected error occurred.',
  502: 'Bad gateway: the upstream service answered with an invalid response.',
  503: 'Service temporarily unavailable. Retry later.',
  504: 'Gateway timeout: the upstream service did not answer in time.',
};

/**
 * What a terminal effect answers.
 * @param at `now` (epoch ms) and the principal, for messages and cookie clearing
 * @param rateLimit the limiter state of this request (limit for the 429 headers)
 * @returns an HttpError to render, or {@link NETWORK_ERROR}
 */
export async function effectOutcome(
  effect: TerminalEffect,
  at: { now: number; principal: Principal | null; viaCookie: boolean; signal?: AbortSignal | null },
  rateLimit: RateLimitState | null,
): Promise<HttpError | typeof NETWORK_ERROR> {
  switch (effect.type) {
    case 'error':
      return new HttpError(effect.status, effect.message ?? DEFAULT_MESSAGES[effect.status] ?? 'Error.', Object.entries(effect.headers ?? {}));
    case 'expired-session':
      if (at.principal?.kind === 'token') {
        return new HttpError(401, `SDK token "${at.principal.token.name}" has been revoked. Create a new SDK token in Settings → Observability SDK.`);
      }
      // A session whose JWT expired: the server answers 401 and clears the cookie it set.
      return new HttpError(
        401,
        `Your ${at.viaCookie ? 'session cookie' : 'bearer JWT'} has expired. Log in again with POST /api/auth/login.`,
        at.viaCookie ? [['set-cookie', clearedSessionCookie()]] : [],
      );
    case 'forbidden':
      return new HttpError(403, 'Access denied: this action needs the BUILDER role or higher; you have VIEWER.');
    case 'rate-limited': {
      const end = windowEnd(at.now);
      const retryAfter = Math.max(1, Math.ceil((end - at.now) / 1000));
      const limit = rateLimit?.limit ?? 60;
      return new HttpError(429, `Rate limit of ${limit} requests per minute exceeded. Retry after ${retryAfter} s (X-RateLimit-Reset ${Math.ceil(end / 1000)}).`, [
        ['retry-after', String(retryAfter)],
      ]);
    }
    case 'network-error':
      return NETWORK_ERROR;
    case 'stall':
      await sleep(effect.ms, at.signal);
      return new HttpError(504, DEFAULT_MESSAGES[504]!);
  }
}
