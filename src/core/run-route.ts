import type { SandboxState } from '../state.ts';
import { HttpError } from './http-error.ts';
import type { Principal } from './principal.ts';
import { readJsonBody } from './read-body.ts';
import { wholeBodyOf } from './respond.ts';
import type { RouteContext } from './route.ts';
import type { RouteMatch } from './router.ts';
import { AccessDenied, resolveTeam } from './team-scope.ts';
import { validate } from './validate.ts';

/** The RBAC decision for a team-scoped route, as the journal shows it. */
export interface RbacDecision {
  teamId: string | null;
  role: string | null;
  permission: string | null;
  allowed: boolean;
}

/** An error from inside a route, carrying the RBAC decision made before it. */
export class RouteError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly rbac: RbacDecision | null,
  ) {
    super('route error');
  }
}

/**
 * Runs the matched route: 404/405, the auth requirement, params/query/body validation, team
 * scope and RBAC, then the handler.
 * @returns the handler's response and the RBAC decision (null for routes without a team)
 * @throws RouteError wrapping the HttpError to answer (and the RBAC decision, when one was made)
 */
export async function runRoute(
  request: Request,
  url: URL,
  match: RouteMatch,
  state: SandboxState,
  principal: Principal | null,
  authError: HttpError | null,
): Promise<{ response: Response; rbac: RbacDecision | null }> {
  let rbac: RbacDecision | null = null;
  try {
    if (match.kind === 'none') {
      throw new HttpError(404, `No endpoint ${request.method} ${url.pathname}. The README lists the endpoints the sandbox serves.`);
    }
    if (match.kind === 'options') {
      return { response: new Response(null, { status: 200, headers: { allow: match.allow.join(', ') } }), rbac };
    }
    if (match.kind === 'method-not-allowed') {
      throw new HttpError(405, `Request method '${request.method}' is not supported for ${url.pathname}. Supported: ${match.allow.join(', ')}.`, [
        ['allow', match.allow.join(', ')],
      ]);
    }
    const route = match.route;
    if (route.auth !== 'public') {
      if (authError) throw authError;
      if (!principal) {
        throw new HttpError(
          401,
          'Authentication required. Log in with POST /api/auth/login (e.g. admin@acme.test / sandbox) or send Authorization: Bearer sdk_sandbox_admin.',
        );
      }
    }
    const params = validate(route.params ?? passThrough, decodeParams(match.params), 'path parameter') as Record<string, string>;
    const query = validate(route.query ?? passThrough, Object.fromEntries(url.searchParams), 'query parameter') as Record<string, unknown>;
    const body = route.body ? validate(route.body, await readJsonBody(request), 'body') : undefined;
    let team: RouteContext['team'] = null;
    let resource: unknown;
    if (route.team) {
      try {
        const resolved = resolveTeam(route.team, route.permission, principal!, { params, query, body }, state);
        team = { id: resolved.id, role: resolved.role };
        resource = resolved.resource;
        rbac = { teamId: resolved.id, role: resolved.role, permission: route.permission ?? null, allowed: true };
      } catch (error) {
        if (error instanceof AccessDenied) rbac = { teamId: error.teamId, role: error.role, permission: route.permission ?? null, allowed: false };
        throw error;
      }
    }
    const responseHeaders = new Headers();
    const ctx: RouteContext = { request, url, params, query, body, principal, team, resource, state, requestId: '', responseHeaders };
    let response = await route.handler(ctx);
    responseHeaders.forEach((value, name) => {
      if (name === 'set-cookie') response.headers.append(name, value);
      else response.headers.set(name, value);
    });
    if (request.method === 'HEAD') {
      // Same headers as the GET, Content-Length included, without the body.
      const text = wholeBodyOf(response);
      if (text !== undefined) response.headers.set('content-length', String(new TextEncoder().encode(text).byteLength));
      response = new Response(null, { status: response.status, headers: response.headers });
    }
    return { response, rbac };
  } catch (error) {
    throw new RouteError(error, rbac);
  }
}

const passThrough = { safeParse: (value: unknown) => ({ success: true as const, data: value }) } as never;

function decodeParams(raw: Record<string, string>): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw new HttpError(400, `Path parameter '${name}' is not valid percent-encoding: ${value}`);
    }
  }
  return decoded;
}
