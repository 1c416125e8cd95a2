import { routeDefiner } from '../core/route.ts';
import type { SandboxState } from '../state.ts';

/**
 * Declares an API route over the sandbox state (src/core/route.ts): method, path, auth kind,
 * permission, team source, schemas, audit action and handler, checked for a whole policy at
 * declaration. Handlers get typed params, query, body, principal, team and resource.
 * @throws Error naming the route when its policy is incomplete (see `checkRoutePolicy`)
 */
export const defineRoute = routeDefiner<SandboxState>();
