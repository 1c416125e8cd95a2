import { dirname, resolve } from 'node:path';
import type { Plugin } from 'rolldown';
import { bundleForBrowser } from './bundle-browser.mjs';

/**
 * A rollup-compatible plugin, used by both tsdown (tsdown.config.ts, the package build) and vite
 * (vitest.config.ts, the tests), that turns `import code from './page/app.ts?bundle'` into
 * `export default "<the file and its imports bundled for the browser, minified, as one IIFE>"`.
 * The control page (src/admin/control-page/) is written in TypeScript with Preact and htm; this
 * bundles it at build time, so the package serves it from a string with no file read at run time
 * (it also works under msw in a browser), nothing is loaded from a CDN, no generated file is
 * committed, and tests still run from the sources. Bundling uses rolldown, the bundler tsdown and
 * vite 8 are built on.
 */
export function bundleQuery(): Plugin & { enforce: 'pre' } {
  const PREFIX = '\0bundle-query:';
  return {
    name: 'nodeloom-bundle-query',
    // vite: before its own resolver, which would try to read `app.ts?bundle` as a file.
    enforce: 'pre',
    resolveId(source, importer) {
      if (!source.endsWith('?bundle') || !importer) return null;
      return PREFIX + resolve(dirname(importer.replace(/\?.*$/, '')), source.slice(0, -'?bundle'.length));
    },
    async load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const file = id.slice(PREFIX.length);
      const { code, moduleIds } = await bundleForBrowser(file);
      for (const module of moduleIds) if (!module.startsWith('\0')) this.addWatchFile(module);
      return { code: `export default ${JSON.stringify(code)};`, moduleType: 'js' };
    },
  };
}
