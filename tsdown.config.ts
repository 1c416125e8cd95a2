import { defineConfig, type UserConfig } from 'tsdown';
import { bundleQuery } from './build/bundle-query.ts';

/**
 * The package build (`npm run build`, also run by `prepare` on `npm install`): the library entries
 * as ESM and CommonJS with bundled `.d.ts`/`.d.cts` and source maps, and the CLI as one ESM file.
 * The `ms` typings are inlined so the types consumers see resolve from the package alone
 * (`@types/ms` is a devDependency only).
 */

const entry = {
  index: 'src/index.ts',
  msw: 'src/hosts/msw.ts',
  express: 'src/hosts/express.ts',
  client: 'src/client/index.ts',
};
/** The swagger-ui-dist files the reference page needs, with its licence. */
const SWAGGER_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png', 'LICENSE', 'NOTICE'];
/** Peers stay external everywhere: the user's own msw and express instances must be the ones used. */
const PEER = /^(msw|express|tsx)(\/|$)/;
const library: UserConfig = {
  entry,
  platform: 'neutral',
  target: 'node20',
  dts: { resolve: ['@types/ms', 'ms'] },
  sourcemap: true,
  outDir: 'dist',
  deps: { neverBundle: [/^node:/, PEER] },
  // `import code from './app.ts?bundle'`: the control page's script, bundled into a string.
  plugins: [bundleQuery()],
};

export default defineConfig([
  {
    ...library,
    format: ['esm'],
    clean: true,
    // The API reference's viewer (GET /__sandbox/docs, src/hosts/docs-assets.ts): the two files of
    // swagger-ui-dist the page loads, copied into the package (~1.9 MB unpacked), so swagger-ui-dist
    // and its install-time analytics dependency (@scarf/scarf) stay development-only.
    copy: [{ from: SWAGGER_UI_FILES.map((file) => `node_modules/swagger-ui-dist/${file}`), to: 'dist/swagger-ui', flatten: true }],
    // csv-stringify's browser build imports nothing and runs everywhere, but is ESM only.
    deps: { neverBundle: [/^node:/, PEER], alwaysBundle: ['csv-stringify/browser/esm/sync'] },
  },
  {
    // The CommonJS typings (.d.cts) only, every dependency external like the ESM typings.
    ...library,
    format: ['cjs'],
    clean: false,
    dts: { resolve: ['@types/ms', 'ms'], emitDtsOnly: true },
  },
  {
    ...library,
    // The CommonJS code: several dependencies ship ESM only (@faker-js/faker, @noble/hashes, rou3),
    // so they are bundled in, and `require` works where require(esm) does not (Jest
    // before Node 24.9, older bundlers). Peers stay external.
    // Its own folder: the typings build above may write stray .cjs files into dist/ (not shipped).
    format: ['cjs'],
    dts: false,
    clean: false,
    outDir: 'dist/cjs',
    deps: { neverBundle: [/^node:/, PEER], alwaysBundle: (id) => !id.startsWith('node:') && !PEER.test(id) },
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
    deps: { neverBundle: [PEER], alwaysBundle: (id) => !id.startsWith('node:') && !PEER.test(id) },
    plugins: [bundleQuery()],
  },
]);
