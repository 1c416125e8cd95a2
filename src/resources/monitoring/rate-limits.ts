import type { SandboxState } from '../../state.ts';
import { PLAN_LIMITS, WINDOW_MS } from '../../core/rate-limit.ts';

/**
 * The admin rate-limit view ([INF] nodeloom-api.md 3.7 #11, DOC D-MON "admin-level rate-limit
 * monitoring"): every team's callers in the current one-minute window against the team plan's
 * limit (1.5). Read from the namespace's rate windows (`rateLimiter.entries()`): a token's window
 * counts for its team, a user's for each team the user is in; address windows (anonymous and public
 * calls) are listed apart. Windows of an earlier minute are over and not shown.
 */
export function rateLimitView(state: SandboxState) {
  const now = state.clock.now();
  const windowStart = Math.floor(now / WINDOW_MS) * WINDOW_MS;
  const current = state.rateLimiter.entries().filter(([, start]) => start === windowStart);
  const tokens = new Map(state.db.sdkTokens.all().map((t) => [t.id, t]));
  const teams = state.db.teams.all().map((team) => {
    const limit = PLAN_LIMITS[team.plan];
    const callers = [];
    for (const [key, , count] of current) {
      const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      if (kind === 'token' && tokens.get(id)?.teamId === team.id) callers.push({ kind: 'TOKEN', id, name: tokens.get(id)!.name, requests: count });
      if (kind === 'user' && state.directory.roleIn(team.id, id) !== undefined) {
        const user = state.directory.user(id);
        callers.push({ kind: 'USER', id, name: user?.email ?? id, requests: count });
      }
    }
    callers.sort((a, b) => b.requests - a.requests || (a.name < b.name ? -1 : 1));
    const busiest = callers[0]?.requests ?? 0;
    return {
      teamId: team.id,
      teamName: team.name,
      plan: team.plan,
      limitPerMinute: limit,
      requestsThisWindow: callers.reduce((sum, c) => sum + c.requests, 0),
      busiestCallerRemaining: Math.max(0, limit - busiest),
      throttled: callers.some((c) => c.requests > limit),
      callers: callers.map((c) => ({ ...c, remaining: Math.max(0, limit - c.requests), exceeded: c.requests > limit })),
    };
  });
  const addresses = current
    .filter(([key]) => key.startsWith('address:') || key.startsWith('widget:'))
    .map(([key, , count]) => ({ key, requests: count }));
  return {
    windowStart: new Date(windowStart).toISOString(),
    windowResetAt: new Date(windowStart + WINDOW_MS).toISOString(),
    windowSeconds: WINDOW_MS / 1000,
    teams,
    addresses,
  };
}
