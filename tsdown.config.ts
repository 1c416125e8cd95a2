import { defineConfig } from 'tsdown';

/**
 * The package build (`npm run build`, also run by `prepare` on `npm install`): the library entries
 * as ESM and CommonJS with bundled `.d.ts` (`.d.mts`/`.d.cts`) and source maps, and the CLI as ESM.
 * Dependencies stay external (installed beside the package); the `ms` typings are inlined so the
 * types consumers see resolve from the package alone (`@types/ms` is a devDependency only).
 */
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      msw: 'src/hosts/msw.ts',
      express: 'src/hosts/express.ts',
      client: 'src/client/index.ts',
    },
    format: ['esm', 'cjs'],
    platform: 'neutral',
    target: 'node20',
    dts: { resolve: ['@types/ms', 'ms'] },
    sourcemap: true,
    clean: true,
    outDir: 'dist',
    external: [/^node:/],
    // csv-stringify's browser build imports nothing and runs everywhere, but is ESM only: bundled,
    // so the CommonJS build needs no require() of ESM (src/resources/executions/export.ts).
    noExternal: ['csv-stringify/browser/esm/sync'],
  },
  {
    entry: { cli: 'src/hosts/cli.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: false,
    sourcemap: true,
    clean: false,
    outDir: 'dist',
    // One self-contained file: a cold start then reads one module instead of resolving hundreds
    // (es-toolkit's and zod's barrels, faker's chunks), and unused code is shaken out. tsx stays
    // external: it is an optional peer, imported only for .ts scenario files.
    external: [/^tsx(\/|$)/],
    noExternal: (id) => !id.startsWith('node:') && !/^tsx(\/|$)/.test(id),
  },
]);
