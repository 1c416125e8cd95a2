import type { z } from 'zod';
import { errorResponse, HttpError } from '../core/http-error.ts';
import { compileRoutes, decodeParams, methodNotAllowed } from '../core/router.ts';
import { isClientAbort, readJsonBody } from '../core/read-body.ts';
import { sameSecret } from '../core/same-secret.ts';
import { validate } from '../core/validate.ts';
import type { Namespace } from '../namespace.ts';
import { adminRoutes, type AdminRoute } from './admin-routes.ts';
import { controlPageResponse, wantsControlPage } from './control-page.ts';
import type { ApiRequest } from '../core/api-request.ts';

/** Options of the control plane. */
export interface ControlPlaneOptions {
  /** When set, every control request must send `X-Sandbox-Admin-Token: <token>` (401/403 otherwise). */
  adminToken?: string;
  /** Called with an error no control route expected (it answers 500), as the API pipeline reports them. */
  onUnexpected?: (error: unknown, request: ApiRequest) => void;
}

/** Header naming a control request's namespace (also used by API requests). */
export const NAMESPACE_HEADER = 'x-sandbox-namespace';
/** Header carrying the admin token. */
export const ADMIN_TOKEN_HEADER = 'x-sandbox-admin-token';

/**
 * Builds the `/__sandbox/*` dispatcher: rou3 routing, admin-token check (timing-safe, see
 * core/same-secret.ts), JSON body validation,
 * errors in the same Spring body as the API. Control requests are not rate-limited or journaled.
 * @param namespaceFor the namespace a request names (created on first use)
 */
export function createControlPlane(
  options: ControlPlaneOptions,
  namespaceFor: (request: ApiRequest) => Namespace,
  defaultNamespace: Namespace,
  namespaces: () => string[],
  /** ISO-8601 time for errors raised before a namespace is known. */
  fallbackTime: () => string,
  /** Drops a namespace (not the default one): true when it existed. */
  deleteNamespace: (name: string) => boolean = () => false,
): (request: ApiRequest, url: URL) => Promise<Response> {
  const router = compileRoutes<AdminRoute>(adminRoutes);
  return async (request, url) => {
    // The control page holds no secret: served without the admin token, it asks for it (control-page.ts).
    if (wantsControlPage(request.method, url.pathname, request.headers.get('accept'))) return controlPageResponse(request.method);
    let ns: Namespace | undefined;
    try {
      if (options.adminToken !== undefined) {
        const sent = request.headers.get(ADMIN_TOKEN_HEADER);
        if (sent === null) throw new HttpError(401, `The control plane is protected: send the header X-Sandbox-Admin-Token: <token given with --admin-token>.`);
        if (!(await sameSecret(sent, options.adminToken))) throw new HttpError(403, 'Wrong X-Sandbox-Admin-Token for this sandbox.');
      }
      const found = router.match(request.method, url.pathname);
      if (found.kind === 'method-not-allowed' || found.kind === 'options') throw methodNotAllowed(request.method, url.pathname, found.allow);
      if (found.kind === 'none') {
        throw new HttpError(404, `No control endpoint ${request.method} ${url.pathname}. GET /__sandbox lists them all (also in the README).`);
      }
      const route = found.route;
      const params = decodeParams(found.params);
      ns = route.global ? defaultNamespace : namespaceFor(request);
      const raw = route.body ? await readJsonBody(request, { maxDepth: route.maxDepth }) : undefined;
      if (route.body) refuseUnknownFields(route, raw);
      const body = route.body ? validate(route.body, raw, 'body') : undefined;
      return await route.handler({ ns, url, params, body, namespaces, request, deleteNamespace, routes: adminRoutes });
    } catch (error) {
      const known = error instanceof HttpError ? error : toHttpError(error);
      if (!(known instanceof HttpError) && !isClientAbort(known)) options.onUnexpected?.(known, request);
      return errorResponse(known, { path: url.pathname, timestamp: ns?.clock.iso() ?? fallbackTime(), requestId: 'control' });
    }
  };
}

/** Control methods throw plain Errors for bad definitions and durations: those are the caller's 400s. */
function toHttpError(error: unknown): unknown {
  if (error instanceof RangeError || (error instanceof Error && error.message.startsWith('Invalid scenario'))) {
    return new HttpError(400, error.message);
  }
  return error;
}

/** The field names an object schema knows (through `.optional()`, `.nullable()` and refinements), else undefined. */
function knownFields(schema: z.ZodType): string[] | undefined {
  let current = schema as unknown as { def?: { type?: string; innerType?: z.ZodType; in?: z.ZodType }; shape?: Record<string, unknown> };
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (current.def?.type === 'object' && current.shape) return Object.keys(current.shape);
    current = (current.def?.innerType ?? current.def?.in) as typeof current;
  }
  return undefined;
}

/**
 * Strict control bodies: a field the endpoint does not know (a typo such as `{"sed": 1}`) is a 400
 * naming it and the known ones, never silently ignored. `name` where `names` is expected is refused
 * with the list form to send instead.
 * @throws HttpError 400
 */
function refuseUnknownFields(route: AdminRoute, raw: unknown): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return;
  const known = knownFields(route.body!);
  if (!known) return;
  const unknown = Object.keys(raw).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  const where = `${route.method} ${route.path}`;
  const name = (raw as { name?: unknown }).name;
  if (unknown.includes('name') && known.includes('names')) {
    throw new HttpError(400, `${where} takes "names", a list: send {"names": [${JSON.stringify(typeof name === 'string' ? name : 'server-error')}]} (a comma-separated string works too), not "name".`);
  }
  const list = (keys: string[]) => keys.map((key) => `"${key}"`).join(', ');
  throw new HttpError(400, `Unknown field${unknown.length > 1 ? 's' : ''} ${list(unknown)} in the body of ${where}. Known fields: ${list(known)}.`);
}
