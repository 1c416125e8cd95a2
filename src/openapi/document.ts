import { z } from 'zod';
import type { AnyRoute } from '../core/route.ts';
import { replyEventSchemas } from '../resources/chat/schema.ts';
import { RATE_LIMIT_HEADERS, RATE_LIMIT_REFS, SECURITY_SCHEMES, springErrorBody, tagOf, TAGS } from './components.ts';
import { RECORDED_EXAMPLES, type RecordedExample } from './examples.ts';

/**
 * Generates the OpenAPI 3.1 document of the routes from their declarations (src/core/route.ts):
 * method and rou3 path (`:id` → `{id}`), auth kind → security, zod schemas (zod 4
 * `z.toJSONSchema`, request side `io: 'input'`, answers `io: 'output'`) → parameters, request
 * bodies and success bodies, `spec` → `x-nodeloom-section` / `x-nodeloom-inferred`, and the
 * seeded examples recorded in examples.generated.ts. Nothing in it is written per route.
 */

/** A JSON Schema or OpenAPI object (the document is plain JSON). */
type Json = Record<string, unknown>;

/** Options of {@link buildOpenApiDocument}. */
export interface OpenApiOptions {
  /** The server "Try it" and generated clients call (default `/`: the origin serving the document). */
  serverUrl?: string;
  /** `info.version` (default: the package's, as the hosts pass it; `0.0.0` otherwise). */
  version?: string;
}

/** The statuses of the shared error responses (`components.responses.E400` ...). */
const ERROR_STATUSES = { 400: 'Invalid input', 401: 'Missing, expired or unknown credentials', 403: 'Permission denied (RBAC) or origin refused', 404: 'No such record in the caller\'s team', 415: 'The body is not JSON', 429: 'Rate limit exceeded: wait until X-RateLimit-Reset (Retry-After seconds)' } as const;

/**
 * A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), without `$schema`. Answers
 * (`io: 'output'`) keep their objects open: zod closes them (`additionalProperties: false`), but an
 * answer may carry more than the declared fields (an SDK-reported node has `spanType`,
 * `tokenUsage`, …), and a client validating answers must not reject them, as Jackson's clients
 * ignore unknown properties. Request bodies stay closed: the sandbox refuses unknown fields.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    override: io === 'output' ? (ctx) => void (ctx.jsonSchema.additionalProperties === false && delete ctx.jsonSchema.additionalProperties) : undefined,
  }) as Json;
  return rest;
}

/** `/api/workflows/:id` → `/api/workflows/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** `GET /api/teams/:teamId/widgets` → `getApiTeamsByTeamIdWidgets`. */
function operationId(route: AnyRoute): string {
  const words = route.path.split('/').filter(Boolean).map((part) => (part.startsWith(':') ? `By-${part.slice(1)}` : part));
  const camel = words.join('-').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''));
  return route.method.toLowerCase() + camel.charAt(0).toUpperCase() + camel.slice(1);
}

/** The security requirement of an auth kind (nodeloom-api.md 1.2). */
function securityOf(route: AnyRoute): Json[] {
  if (route.auth === 'session-or-token') return [{ session: [] }, { sdkToken: [] }];
  if (route.auth === 'sdk-token') return [{ sdkToken: [] }];
  return []; // public; widget routes carry their token in the path
}

/** The error statuses a declaration implies. */
function errorStatuses(route: AnyRoute): Array<keyof typeof ERROR_STATUSES> {
  const statuses: Array<keyof typeof ERROR_STATUSES> = [];
  if (route.body || route.query || route.params) statuses.push(400);
  if (route.auth !== 'public') statuses.push(401);
  if (route.auth === 'widget-token' || !['authenticated', 'public', 'widget'].includes(route.permission)) statuses.push(403);
  if (route.path.includes(':')) statuses.push(404);
  if (route.body) statuses.push(415);
  statuses.push(429);
  return statuses;
}

/**
 * A query parameter's schema as Spring documents its `@RequestParam`: a field whose zod schema is
 * typed with `.meta({type: 'integer' | 'number' | 'boolean'})` (page, size, minScore, acknowledged,
 * version) is that type, without the text pattern it is checked with on arrival, so generated
 * clients take `page?: number` rather than a string.
 */
function typedQuerySchema(schema: Json): Json {
  if (schema.type !== 'integer' && schema.type !== 'number' && schema.type !== 'boolean') return schema;
  const { pattern: _, ...typed } = schema;
  return typed;
}

/** A recorded query value (text) as the value of its typed schema. */
function typedExample(schema: Json, text: string): unknown {
  if (schema.type === 'integer' || schema.type === 'number') return Number(text);
  if (schema.type === 'boolean') return ['true', 'on', 'yes', '1'].includes(text.trim().toLowerCase()); // Spring's words
  return text;
}

function parameters(route: AnyRoute, example: RecordedExample | undefined): Json[] {
  const params = route.params ? jsonSchemaOf(route.params, 'input') : undefined;
  const pathParams = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map(([, name]) => {
    const schema = ((params?.properties as Json | undefined)?.[name!] as Json | undefined) ?? { type: 'string' };
    const widget = route.auth === 'widget-token' && name === 'token';
    return { name, in: 'path', required: true, schema, ...(widget ? { description: 'The widget embed token (`wgt_...`, see the widgetEmbedToken security scheme).' } : {}) };
  });
  const query = route.query ? jsonSchemaOf(route.query, 'input') : undefined;
  const required = new Set((query?.required as string[] | undefined) ?? []);
  const queryParams = Object.entries((query?.properties as Record<string, Json> | undefined) ?? {}).map(([name, raw]) => {
    const schema = typedQuerySchema(raw);
    const text = example?.request.query?.[name];
    return { name, in: 'query', required: required.has(name), schema, ...(text !== undefined ? { example: typedExample(schema, text) } : {}) };
  });
  return [...pathParams, ...queryParams];
}

function requestBody(route: AnyRoute, example: RecordedExample | undefined): Json | undefined {
  if (!route.body) return undefined;
  const optional = route.body.safeParse(undefined).success;
  const media: Json = { schema: jsonSchemaOf(route.body, 'input') };
  if (example?.request.body !== undefined) media.example = example.request.body;
  return { required: !optional, content: { 'application/json': media } };
}

/** The success content: the declared schema and the recorded example, by media type. */
function successContent(route: AnyRoute, example: RecordedExample | undefined): Json | undefined {
  const declared = route.response?.body ? jsonSchemaOf(route.response.body, 'output') : undefined;
  const recorded = example && example.response.status < 300 ? example.response : undefined;
  if (recorded?.status === 204) return undefined;
  const withExample = (media: Json, type: string) => (recorded?.contentType === type && recorded.body !== undefined ? { ...media, example: recorded.body } : media);
  if (route.response?.events) {
    const stream = withExample(
      {
        schema: { type: 'string', description: 'Server-sent events (`event: <name>` + one `data:` line of JSON), each a ChatStreamEvent.' },
        'x-nodeloom-event-schema': { $ref: '#/components/schemas/ChatStreamEvent' },
      },
      'text/event-stream',
    );
    return { 'text/event-stream': stream, 'application/json': { schema: { ...declared, description: 'With `Accept: application/json` (and not text/event-stream): the whole reply at once.' } } };
  }
  const type = recorded?.contentType ?? 'application/json';
  if (type === 'application/json') return { [type]: withExample({ schema: declared ?? {} }, type) };
  if (type === 'application/pdf') return { [type]: { schema: { type: 'string', contentMediaType: 'application/pdf' } } };
  return { [type]: withExample({ schema: { type: 'string' } }, type) };
}

function responses(route: AnyRoute, example: RecordedExample | undefined): Json {
  const recorded = example?.response;
  const status = recorded && recorded.status < 300 ? recorded.status : route.method === 'DELETE' ? 204 : 200;
  const content = successContent(route, example);
  const out: Json = { [status]: { description: status === 204 ? 'Done (no body).' : 'Success.', headers: RATE_LIMIT_REFS, ...(content ? { content } : {}) } };
  for (const error of errorStatuses(route)) out[error] = { $ref: `#/components/responses/E${error}` };
  if (recorded && recorded.status >= 400) {
    // The seeded data cannot make this route succeed (nothing configured yet): its recorded answer.
    out[recorded.status] = {
      description: 'The answer for the seeded data (see the example).',
      headers: RATE_LIMIT_REFS,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/SpringError' }, example: recorded.body } },
    };
  }
  return out;
}

function operation(route: AnyRoute): Json {
  const key = `${route.method} ${route.path}`;
  const example = RECORDED_EXAMPLES[key];
  const inferred = route.spec.inferred === true;
  const team = route.team ? `; team from the ${(route.team as { from: string }).from}` : '';
  const body = requestBody(route, example);
  return {
    operationId: operationId(route),
    description: `nodeloom-api.md §${route.spec.section}${inferred ? ' ([INF]: inferred, not documented)' : ''}. Auth: ${route.auth}; permission: ${route.permission}${team}.`,
    tags: [tagOf(route.spec.section)],
    security: securityOf(route),
    parameters: parameters(route, example),
    ...(body ? { requestBody: body } : {}),
    responses: responses(route, example),
    'x-nodeloom-section': route.spec.section,
    'x-nodeloom-inferred': inferred,
    'x-nodeloom-auth': route.auth,
    'x-nodeloom-permission': route.permission,
  };
}

/** The chat stream's events as one schema: `{event, data}` per event name. */
function streamEventSchema(): Json {
  return {
    title: 'ChatStreamEvent',
    description: 'One server-sent event of a streamed chat reply (nodeloom-api.md 3.5 [INF]): its `event:` name and its `data:` JSON.',
    oneOf: Object.entries(replyEventSchemas).map(([name, schema]) => ({
      type: 'object',
      properties: { event: { const: name }, data: jsonSchemaOf(schema, 'output') },
      required: ['event', 'data'],
    })),
  };
}

/** The OpenAPI 3.1 document of `routes` (see the file comment). Pure: same routes, same document. */
export function buildOpenApiDocument(routes: readonly AnyRoute[], options: OpenApiOptions = {}): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) (paths[openApiPath(route.path)] ??= {})[route.method.toLowerCase()] = operation(route);
  const errorResponses = Object.fromEntries(
    Object.entries(ERROR_STATUSES).map(([status, description]) => [
      `E${status}`,
      {
        description,
        headers: status === '429' ? { ...RATE_LIMIT_REFS, 'Retry-After': { description: 'Seconds until the window resets.', schema: { type: 'integer' } } } : RATE_LIMIT_REFS,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/SpringError' } } },
      },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'NodeLoom API (nodeloom-sandbox)',
      version: options.version ?? '0.0.0',
      description:
        'The NodeLoom REST API as nodeloom-sandbox serves it, generated from its route declarations. `x-nodeloom-section` names the nodeloom-api.md section an operation implements; `x-nodeloom-inferred: true` marks shapes the public docs do not show ([INF]). Examples come from a sandbox with the default seed at ' +
        'its fixed clock. Sign in with `POST /api/auth/login` (`admin@acme.test` / `sandbox`) or send `Authorization: Bearer sdk_sandbox_admin`.',
    },
    servers: [{ url: options.serverUrl ?? '/' }],
    tags: TAGS,
    paths,
    components: {
      schemas: { SpringError: jsonSchemaOf(springErrorBody, 'output'), ChatStreamEvent: streamEventSchema() },
      headers: RATE_LIMIT_HEADERS,
      responses: errorResponses,
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}
