import { NETWORK_ERROR } from '../core/exchange.ts';
import { HttpError } from '../core/http-error.ts';
import type { Principal } from '../core/principal.ts';
import { exhaustedState, tooManyRequests, type RateLimitState } from '../core/rate-limit.ts';
import { clearedSessionCookie } from '../core/session.ts';
import { sleep } from '../core/sleep.ts';
import type { TerminalEffect } from './engine.ts';

/**
 * Turns a scenario's terminal effect into what the real server would have answered: an
 * {@link HttpError} with the Spring body and the right headers, or a network failure.
 */

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
    case 'error': {
      const headers = Object.entries(effect.headers ?? {});
      if (effect.status !== 429) return new HttpError(effect.status, effect.message ?? DEFAULT_MESSAGES[effect.status] ?? 'Error.', headers);
      // A rule's 429 is the rate limiter's own (its message, Retry-After, and an exhausted window in
      // the X-RateLimit-* headers the pipeline writes: src/scenarios/port.ts) with the rule's
      // message and headers on top. The rule's Retry-After is sent as written, malformed too (a
      // client's parser under test); the message names its seconds when it gives any (RFC 9110
      // 10.2.3: delay-seconds, or an HTTP-date read against the sandbox clock).
      const state = exhaustedState(rateLimit?.limit ?? 60, at.now);
      const seconds = retryAfterSeconds(headers.find(([name]) => name.toLowerCase() === 'retry-after')?.[1], at.now);
      if (seconds !== undefined) state.retryAfter = seconds;
      const limited = tooManyRequests(state);
      const named = new Set(headers.map(([name]) => name.toLowerCase()));
      return new HttpError(429, effect.message ?? limited.message, [...limited.headers.filter(([name]) => !named.has(name)), ...headers]);
    }
    case 'expired-session':
      if (at.principal?.kind === 'widget') return new HttpError(401, 'Unknown widget token: the widget was deleted or its token regenerated.');
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
    case 'rate-limited':
      return tooManyRequests(exhaustedState(rateLimit?.limit ?? 60, at.now));
    case 'network-error':
      return NETWORK_ERROR;
    case 'stall':
      await sleep(effect.ms, at.signal);
      return new HttpError(504, DEFAULT_MESSAGES[504]!);
  }
}

/**
 * The seconds a `Retry-After` value asks to wait (RFC 9110 10.2.3): delay-seconds, or an HTTP-date
 * counted from `now` (epoch ms; 0 once past).
 * @returns whole seconds, or undefined for no value or a malformed one
 */
function retryAfterSeconds(value: string | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d{1,10}$/.test(text)) return Number(text);
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
