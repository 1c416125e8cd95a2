import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, processTarget } from './processes.ts';
import type { Target } from './targets.ts';

/**
 * The peer mock servers the issue compares the sandbox with (issue 13): json-server 0.17, Prism 5
 * and Mockoon CLI 9, each serving the sandbox's own answer bytes for the bench path, in its
 * ordinary configuration (json-server `--quiet`, Mockoon `--disable-log-to-file`, Prism's default
 * log), as child processes. They live in bench/peers (own package.json and lock, pinned versions)
 * and are installed there with `npm ci` the first time the bench needs them, never by the
 * project's own `npm ci`.
 */

const PEERS_DIR = fileURLToPath(new URL('./peers/', import.meta.url));

/** Installs bench/peers/node_modules when it is missing (needs the npm registry; about 40 s). */
export function ensurePeersInstalled(log: (line: string) => void): void {
  if (existsSync(join(PEERS_DIR, 'node_modules', '.package-lock.json'))) return;
  log('  installing the peer servers into bench/peers (npm ci, once)...');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PEERS_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
}

function bin(name: string): string {
  return join(PEERS_DIR, 'node_modules', '.bin', name);
}

/**
 * Starts json-server, Prism and Mockoon, one after the other, each answering `GET path` with
 * `body` (the page as JSON; json-server pretty-prints it, as it always does).
 * @param path the bench path with its query (`/api/workflows?teamId=…`)
 * @returns the three started targets (close each)
 */
export async function startPeers(path: string, body: Buffer): Promise<Target[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nodeloom-bench-peers-'));
  const page: unknown = JSON.parse(body.toString('utf8'));
  const pathname = path.slice(0, path.indexOf('?'));
  const targets: Target[] = [];

  // json-server 0.17: the page as a singular resource, /api/* rewritten to /*.
  writeFileSync(join(dir, 'db.json'), JSON.stringify({ [pathname.split('/').pop()!]: page }));
  writeFileSync(join(dir, 'routes.json'), JSON.stringify({ '/api/*': '/$1' }));
  let port = await freePort();
  targets.push(
    await processTarget({
      name: 'json-server 0.17',
      command: bin('json-server'),
      args: [join(dir, 'db.json'), '--routes', join(dir, 'routes.json'), '--port', String(port), '--host', '127.0.0.1', '--quiet'],
      port,
      readyUrl: `http://127.0.0.1:${port}${path}`,
    }),
  );

  // Prism 5: an OpenAPI 3.1 document whose 200 has the page as its example.
  const query = [...new URL(path, 'http://x').searchParams.keys()].map((name) => ({ name, in: 'query', schema: { type: 'string' } }));
  const spec = {
    openapi: '3.1.0',
    info: { title: 'bench', version: '1' },
    paths: { [pathname]: { get: { parameters: query, responses: { '200': { description: 'a page', content: { 'application/json': { example: page } } } } } } },
  };
  writeFileSync(join(dir, 'openapi.json'), JSON.stringify(spec));
  port = await freePort();
  targets.push(
    await processTarget({
      name: 'Prism 5 (prism mock)',
      command: bin('prism'),
      args: ['mock', join(dir, 'openapi.json'), '--port', String(port), '--host', '127.0.0.1'],
      port,
      readyUrl: `http://127.0.0.1:${port}${path}`,
    }),
  );

  // Mockoon CLI 9: an environment built with @mockoon/commons' builders, one route, templating off.
  const commons = createRequire(join(PEERS_DIR, 'package.json'))('@mockoon/commons') as MockoonCommons;
  port = await freePort();
  const environment = commons.BuildEnvironment({ hasDefaultHeader: true, hasDefaultRoute: false, port, hostname: '127.0.0.1' });
  const route = commons.BuildHTTPRoute(false, {});
  const response = commons.BuildRouteResponse();
  Object.assign(response, { body: body.toString('utf8'), statusCode: 200, disableTemplating: true, default: true, headers: [{ key: 'Content-Type', value: 'application/json' }] });
  Object.assign(route, { method: 'get', endpoint: pathname.slice(1), responses: [response] });
  Object.assign(environment, { name: 'bench', routes: [route], rootChildren: [{ type: 'route', uuid: route.uuid }] });
  writeFileSync(join(dir, 'mockoon.json'), JSON.stringify(environment));
  targets.push(
    await processTarget({
      name: 'Mockoon CLI 9',
      command: bin('mockoon-cli'),
      args: ['start', '--data', join(dir, 'mockoon.json'), '--port', String(port), '--hostname', '127.0.0.1', '--disable-log-to-file', '--disable-admin-api'],
      port,
      readyUrl: `http://127.0.0.1:${port}${path}`,
    }),
  );
  return targets;
}

/** The builders of @mockoon/commons the bench uses. */
interface MockoonCommons {
  BuildEnvironment(options: { hasDefaultHeader: boolean; hasDefaultRoute: boolean; port: number; hostname: string }): Record<string, unknown>;
  BuildHTTPRoute(hasDefaultResponse: boolean, options: object): { uuid: string } & Record<string, unknown>;
  BuildRouteResponse(): Record<string, unknown>;
}
