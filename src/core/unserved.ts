/**
 * API areas the real NodeLoom has and the sandbox does not serve (nodeloom-api.md 3.12: SCIM 2.0 is
 * "out of scope for a first mock"), so their 404 says so instead of looking like a typo. The
 * pipeline still answers an anonymous request 401 first (Spring Security runs before dispatch).
 */

/** Path prefixes of unserved areas and what to tell the caller. */
export const UNSERVED_AREAS: ReadonlyArray<{ prefix: string; area: string; hint: string }> = [
  {
    prefix: '/api/scim/v2',
    area: 'SCIM 2.0 provisioning (/api/scim/v2/**, nodeloom-api.md 3.12)',
    hint: 'Create users and members with the teams API (POST /api/teams/:teamId/members) instead.',
  },
];

/** The 404 message for a request no route matches: an unserved area's explanation, or the generic one. */
export function notFoundMessage(method: string, path: string): string {
  const unserved = UNSERVED_AREAS.find(({ prefix }) => path === prefix || path.startsWith(`${prefix}/`));
  if (unserved) return `The sandbox does not serve ${unserved.area}: ${method} ${path} has no stand-in here. ${unserved.hint}`;
  return `No endpoint ${method} ${path}. The README lists the endpoints the sandbox serves.`;
}
