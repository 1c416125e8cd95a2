import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { openApiDocument } from 'nodeloom-sandbox';
import { compileRoutes } from '../src/core/router.ts';
import { openApiPath } from '../src/openapi/document.ts';
import { PACKAGE_VERSION } from '../src/openapi/index.ts';
import { apiRoutes } from '../src/routes.ts';
import { runCli, stopClis } from './cli-harness.ts';
import { call, testSandbox } from './helpers.ts';

/**
 * The OpenAPI document (src/openapi): valid OpenAPI 3.1, exactly the routes the router serves with
 * their declared policy, served as JSON and YAML by the core, written by the CLI, and good enough
 * for openapi-typescript to generate types a small client type-checks against. The answers
 * themselves are checked against it in test/openapi-examples.test.ts.
 */

type Operation = Record<string, unknown> & { security: unknown[]; parameters: Array<{ name: string; in: string }>; responses: Record<string, { headers?: Record<string, unknown>; $ref?: string }> };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const document = openApiDocument();
const paths = document.paths as Record<string, Record<string, Operation>>;

afterEach(stopClis);

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1 (@seriousme/openapi-schema-validator)', async () => {
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('lists every route the router serves, and no route it does not serve', () => {
    const router = compileRoutes(apiRoutes);
    const served = router.routes.map((r) => `${r.method} ${openApiPath(r.path)}`).sort();
    const documented = Object.entries(paths).flatMap(([path, item]) => Object.keys(item).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`)).sort();
    expect(documented).toEqual(served);
    // And each documented path, read back as a rou3 pattern, is matched by the router for its method.
    for (const key of documented) {
      const [method, path] = key.split(' ') as [string, string];
      const concrete = path.replace(/\{[^}]+\}/g, 'x1');
      expect(router.match(method, concrete).kind, key).toBe('route');
    }
  });

  it('carries each route’s spec section, [INF] mark, auth and path parameters', () => {
    for (const route of apiRoutes) {
      const op = paths[openApiPath(route.path)]![route.method.toLowerCase()]!;
      expect(op['x-nodeloom-section'], route.path).toBe(route.spec.section);
      expect(op['x-nodeloom-inferred'], route.path).toBe(route.spec.inferred === true);
      expect(op['x-nodeloom-auth']).toBe(route.auth);
      const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
      expect(op.parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(params);
      expect(op.security).toEqual(route.auth === 'session-or-token' ? [{ session: [] }, { sdkToken: [] }] : route.auth === 'sdk-token' ? [{ sdkToken: [] }] : []);
      for (const [status, response] of Object.entries(op.responses)) {
        if (response.$ref) expect(response.$ref).toBe(`#/components/responses/E${status}`);
        else expect(Object.keys(response.headers ?? {}), `${route.path} ${status}`).toEqual(['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']);
      }
    }
    expect(apiRoutes.filter((r) => r.spec.inferred).length).toBeGreaterThan(40);
    expect(document.info).toMatchObject({ version: PACKAGE_VERSION });
    expect(PACKAGE_VERSION).toBe(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
  });

  it('documents query parameters, bodies, the chat stream and the shared error body from the zod schemas', () => {
    const list = paths['/api/workflows']!.get!;
    expect(list.parameters.map((p) => p.name)).toEqual(['teamId', 'search', 'page', 'size']);
    // Typed as Spring documents its @RequestParams (a newcomer's generated client had `page?: string`).
    const schemaOf = (path: string, name: string) => (paths[path]!.get!.parameters as unknown as Array<{ name: string; schema: unknown }>).find((p) => p.name === name)!.schema;
    expect(schemaOf('/api/workflows', 'page')).toEqual({ type: 'integer', minimum: 0, maximum: 2147483647 });
    expect(schemaOf('/api/workflows', 'size')).toEqual({ type: 'integer', minimum: 1, maximum: 2147483647 });
    expect(schemaOf('/api/monitoring/teams/{teamId}/anomalies', 'minScore')).toEqual({ type: 'number', minimum: 0, maximum: 100 });
    expect(schemaOf('/api/monitoring/teams/{teamId}/anomalies', 'acknowledged')).toEqual({ type: 'boolean' });
    expect(schemaOf('/api/sdk/v1/prompts/{name}', 'version')).toEqual({ type: 'integer', minimum: 1 });
    const login = paths['/api/auth/login']!.post! as Operation & { requestBody: { required: boolean; content: Record<string, { schema: unknown; example: unknown }> } };
    expect(login.requestBody.required).toBe(true);
    expect(login.requestBody.content['application/json']!.schema).toMatchObject({ type: 'object', required: ['email', 'password'] });
    expect(login.requestBody.content['application/json']!.example).toEqual({ email: 'admin@acme.test', password: 'sandbox' });
    const send = paths['/api/agent-chat/sessions/{id}/messages']!.post!.responses['200'] as { content: Record<string, Record<string, unknown>> };
    expect(send.content['text/event-stream']!['x-nodeloom-event-schema']).toEqual({ $ref: '#/components/schemas/ChatStreamEvent' });
    expect(send.content['text/event-stream']!.example).toMatch(/^event: /);
    const components = document.components as { schemas: Record<string, { required?: string[]; oneOf?: unknown[] }>; securitySchemes: Record<string, unknown> };
    expect(components.schemas.SpringError!.required).toEqual(['status', 'error', 'message', 'timestamp', 'path', 'requestId']);
    expect(components.schemas.ChatStreamEvent!.oneOf).toHaveLength(6);
    expect(Object.keys(components.securitySchemes)).toEqual(['session', 'sdkToken', 'widgetEmbedToken']);
    expect(paths['/api/workflows/{id}']!.delete!.responses['204']).toBeDefined();
  });
});

describe('serving the document and the reference page', () => {
  it('serves GET /openapi.json and the same document as YAML at /openapi.yaml, without credentials', async () => {
    const sandbox = testSandbox({ admin: { token: 'secret' } });
    const json = await call(sandbox, 'GET', '/openapi.json');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(json.json).toEqual(document);
    const yaml = await call(sandbox, 'GET', '/openapi.yaml');
    expect(yaml.status).toBe(200);
    expect(yaml.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    expect(parseYaml(yaml.text)).toEqual(document);
    const head = await sandbox.fetch(new Request('http://sandbox.test/openapi.json', { method: 'HEAD' }));
    expect([head.status, await head.text()]).toEqual([200, '']);
    const post = await call(sandbox, 'POST', '/openapi.json');
    expect([post.status, post.headers.get('allow'), post.json.message]).toEqual([405, 'GET, HEAD', "Request method 'POST' is not supported for /openapi.json. Supported: GET, HEAD."]);
  });

  it('serves the reference page publicly (even with an admin token), its files from disk on node hosts, and a clear 404 for them elsewhere', async () => {
    const sandbox = testSandbox({ admin: { token: 'secret' } });
    const page = await call(sandbox, 'GET', '/__sandbox/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<script src="docs/swagger-ui-bundle.js"></script>');
    expect(page.text).not.toMatch(/https?:\/\//); // nothing from a CDN
    // With a trailing slash the page's relative files would miss: a redirect to the page, relative
    // so that it also works under a mount path (express at /mock).
    const slash = await call(sandbox, 'GET', '/__sandbox/docs/');
    expect(slash.status).toBe(302);
    expect(slash.headers.get('location')).toBe('../docs');
    expect(new URL(slash.headers.get('location')!, 'http://localhost/mock/__sandbox/docs/').pathname).toBe('/mock/__sandbox/docs');
    const init = await call(sandbox, 'GET', '/__sandbox/docs/init.js');
    expect(init.text).toContain("url: new URL('../openapi.json', location.href).href");
    expect(init.text).toContain('validatorUrl: null');
    // No asset reader (as under msw): the files answer 404 saying where the page works.
    const asset = await call(sandbox, 'GET', '/__sandbox/docs/swagger-ui-bundle.js');
    expect(asset.status).toBe(404);
    expect(asset.json).toMatchObject({ status: 404, error: 'Not Found', path: '/__sandbox/docs/swagger-ui-bundle.js' });
    expect((asset.json as { message: string }).message).toContain('CLI or express host');
    // The rest of the control plane still wants the token.
    expect((await call(sandbox, 'GET', '/__sandbox/clock')).status).toBe(401);
  });

  it('answers 404 for the reference page when the control plane is off (--no-admin)', async () => {
    const sandbox = testSandbox({ admin: false });
    expect((await call(sandbox, 'GET', '/__sandbox/docs')).status).toBe(404);
    expect((await call(sandbox, 'GET', '/openapi.json')).status).toBe(200);
  });

  it('serves Swagger UI’s files from swagger-ui-dist on the CLI host, and the document to "Try it" on the same origin', async () => {
    const cli = runCli(['--port', '0', '--quiet', '--no-admin']);
    const running = (await cli.started)!;
    expect((await fetch(`${running.url}/__sandbox/docs`)).status).toBe(404); // --no-admin
    await running.close();
    const open = runCli(['--port', '0', '--quiet', '--admin-token', 't0k']);
    const server = (await open.started)!;
    const page = await fetch(`${server.url}/__sandbox/docs`);
    expect(page.status).toBe(200);
    for (const [file, type] of [['swagger-ui-bundle.js', 'application/javascript; charset=utf-8'], ['swagger-ui.css', 'text/css; charset=utf-8']] as const) {
      const response = await fetch(new URL(`docs/${file}`, `${server.url}/__sandbox/docs`));
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    }
    expect((await fetch(`${server.url}/__sandbox/docs/package.json`)).status).toBe(404); // only the page's files
    // OPTIONS as Spring MVC: 200 with Allow for a file that is there, its 404 for one that is not.
    const options = await fetch(`${server.url}/__sandbox/docs/swagger-ui.css`, { method: 'OPTIONS' });
    expect([options.status, options.headers.get('allow')]).toEqual([200, 'GET, HEAD']);
    expect((await fetch(`${server.url}/__sandbox/docs/nope.js`, { method: 'OPTIONS' })).status).toBe(404);
    const spec = (await (await fetch(new URL('../openapi.json', `${server.url}/__sandbox/docs`))).json()) as { servers: Array<{ url: string }> };
    expect(spec.servers).toEqual([{ url: '/' }]);
  });
});

describe('nodeloom-sandbox openapi', () => {
  it('prints the JSON document to stdout', async () => {
    const cli = runCli(['openapi']);
    expect(await cli.exited).toBe(0);
    expect(JSON.parse(cli.out.stdout)).toEqual(document);
  });

  it('writes YAML to --out by its extension, with --server as servers[0]', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-cli-'));
    const cli = runCli(['openapi', '--out', 'api.yaml', '--server', 'http://localhost:4010'], { cwd: dir });
    expect(await cli.exited).toBe(0);
    expect(cli.out.stdout).toBe('');
    expect(cli.out.stderr).toContain(`Wrote the OpenAPI document (yaml) to ${join(dir, 'api.yaml')}`);
    expect(parseYaml(readFileSync(join(dir, 'api.yaml'), 'utf8'))).toEqual({ ...document, servers: [{ url: 'http://localhost:4010' }] });
  });

  it('refuses an unknown option or format with exit code 2', async () => {
    const cli = runCli(['openapi', '--format', 'xml']);
    expect(await cli.exited).toBe(2);
    expect(cli.out.stderr).toBe('nodeloom-sandbox openapi: --format must be json or yaml, got "xml".\nRun nodeloom-sandbox openapi --help for the options.\n');
    const other = runCli(['openapi', '--bogus']);
    expect(await other.exited).toBe(2);
    expect(other.out.stderr).toContain("Unknown option '--bogus'");
    expect(other.out.stderr).toMatch(/\nRun nodeloom-sandbox openapi --help for the options\.\n$/);
  });
});

describe('generated client types (openapi-typescript)', () => {
  it('generates types a small typed client compiles against, and that reject a wrong call', async () => {
    const types = astToString(await openapiTS(document as never));
    const dir = mkdtempSync(join(tmpdir(), 'openapi-types-'));
    writeFileSync(join(dir, 'api.ts'), types);
    writeFileSync(
      join(dir, 'client.ts'),
      `import type { components, paths } from './api.ts';
declare function fetch(url: string, init: { method: string; body: string; headers: Record<string, string> }): Promise<Response>;
interface Response { status: number; json(): Promise<unknown> }
type Json<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];
type LoginBody = NonNullable<paths['/api/auth/login']['post']['requestBody']>['content']['application/json'];
type ListQuery = NonNullable<paths['/api/workflows']['get']['parameters']['query']>;
type SpringError = components['schemas']['SpringError'];
export async function login(base: string, body: LoginBody): Promise<Response> {
  return fetch(base + '/api/auth/login', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}
export const query: ListQuery = { teamId: 't', page: 0, size: 20 };
// @ts-expect-error page is an integer, as Spring documents an int @RequestParam
export const textPage: ListQuery = { page: '0' };
export const error: SpringError = { status: 401, error: 'Unauthorized', message: 'Log in', timestamp: '2026-11-01T12:00:00.000Z', path: '/api/auth/me', requestId: 'req_1' };
export type Cancel = Json<'/api/executions/{id}/cancel', 'post'>['parameters']['path']['id'];
// @ts-expect-error the login body needs an email
export const missing: LoginBody = { password: 'sandbox' };
// @ts-expect-error no such path
export type Nope = paths['/api/nope'];
`,
    );
    const program = ts.createProgram([join(dir, 'client.ts')], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      allowImportingTsExtensions: true,
      lib: ['lib.es2022.d.ts'],
      types: [],
    });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errors).toEqual([]);
    expect(types).toContain('"/api/sdk/v1/telemetry"');
  });
});
