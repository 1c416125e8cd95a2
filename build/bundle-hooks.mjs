import { fileURLToPath } from 'node:url';
import { bundleForBrowser } from './bundle-browser.mjs';

/**
 * Node module customization hooks (`module.register`) for `import code from './app.ts?bundle'`
 * when the TypeScript sources run under tsx rather than through tsdown or vitest (which use
 * build/bundle-query.ts): `npm run bench` and `npm run soak` register them with
 * `--import ./build/register-bundle-hooks.mjs`. The module's default export is the entry bundled
 * for the browser (build/bundle-browser.mjs), as in the package build.
 */

const SUFFIX = '?bundle';

/** Resolves `…?bundle` next to its importer, keeping the query so {@link load} sees it. */
export async function resolve(specifier, context, nextResolve) {
  if (!specifier.endsWith(SUFFIX) || !context.parentURL) return nextResolve(specifier, context);
  return { url: new URL(specifier, context.parentURL).href, format: 'module', shortCircuit: true };
}

/** Loads `…?bundle` as `export default "<bundled code>"`. */
export async function load(url, context, nextLoad) {
  if (!url.endsWith(SUFFIX)) return nextLoad(url, context);
  const { code } = await bundleForBrowser(fileURLToPath(url.slice(0, -SUFFIX.length)));
  return { format: 'module', source: `export default ${JSON.stringify(code)};`, shortCircuit: true };
}
