import { apiRoutes } from '../routes.ts';
import { buildOpenApiDocument, type OpenApiOptions } from './document.ts';

export type { OpenApiOptions } from './document.ts';

/** The package version the document states (test/openapi.test.ts keeps it equal to package.json's). */
export const PACKAGE_VERSION = '0.1.0';

/**
 * The OpenAPI 3.1 document of every route the sandbox serves, generated from the route declarations
 * and their zod schemas (src/openapi/document.ts), with examples recorded from a sandbox with the
 * default seed. Served at `GET /openapi.json` and `/openapi.yaml`; written by `nodeloom-sandbox openapi`.
 * @param options `serverUrl` for `servers[0].url` (default `/`, the origin serving the document)
 * @returns a fresh plain JSON object (safe to change)
 */
export function openApiDocument(options: OpenApiOptions = {}): Record<string, unknown> {
  return buildOpenApiDocument(apiRoutes, { version: PACKAGE_VERSION, ...options });
}

/**
 * The same document as YAML 1.2 text (the `yaml` package, loaded on first use so browser bundles
 * of the core do not pay for it until asked).
 */
export async function openApiYaml(options: OpenApiOptions = {}): Promise<string> {
  const { stringify } = await import('yaml');
  return stringify(openApiDocument(options), { aliasDuplicateObjects: false, lineWidth: 0 });
}
