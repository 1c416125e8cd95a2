import type { SandboxState } from '../state.ts';
import type { RequestMeta } from './pipeline.ts';
import type { Principal } from './principal.ts';
import { PLAN_LIMITS, type RateLimitState } from './rate-limit.ts';
import type { Role } from './rbac.ts';
import { effectiveRole } from './team-scope.ts';

/**
 * Counts a request against its rate-limit window (nodeloom-api.md 1.5): a principal is limited
 * by its team's plan (a user in several teams by the best plan among them [INF]); anonymous
 * callers per client address at the FREE limit.
 */
export function countRequest(principal: Principal | null, meta: RequestMeta, state: SandboxState): RateLimitState {
  const now = state.clock.now();
  if (!principal) return state.rateLimiter.hit(`address:${meta.clientAddress ?? 'local'}`, PLAN_LIMITS.FREE, now);
  if (principal.kind === 'token') {
    const plan = state.db.teams.get(principal.token.teamId)?.plan ?? 'FREE';
    return state.rateLimiter.hit(`token:${principal.token.id}`, PLAN_LIMITS[plan], now);
  }
  let limit: number = PLAN_LIMITS.FREE;
  for (const membership of state.db.memberships.all()) {
    if (membership.userId !== principal.user.id) continue;
    const plan = state.db.teams.get(membership.teamId)?.plan;
    if (plan) limit = Math.max(limit, PLAN_LIMITS[plan]);
  }
  return state.rateLimiter.hit(`user:${principal.user.id}`, limit, now);
}

/**
 * The caller as scenario rules see it: its SDK token value (if any) and its effective roles (a
 * token's role in its team; every role a user holds).
 */
export function scenarioPrincipal(principal: Principal | null, state: SandboxState): { token?: string; roles: Role[] } | null {
  if (!principal) return null;
  if (principal.kind === 'token') {
    const role = effectiveRole(principal, principal.token.teamId, state);
    return { token: principal.token.token, roles: role ? [role] : [] };
  }
  return { roles: state.db.memberships.all().filter((m) => m.userId === principal.user.id).map((m) => m.role) };
}
