import { build } from 'rolldown';

/**
 * Bundles a browser entry (TypeScript or JavaScript) and its imports into one minified IIFE with
 * rolldown, the bundler tsdown and vite 8 are built on. Shared by build/bundle-query.ts (the
 * tsdown and vitest plugin) and build/bundle-hooks.mjs (Node's module hooks, for tsx runs of the
 * sources such as `npm run bench`), so every way of running the sources serves the same page.
 * @param {string} file absolute path of the entry
 * @returns {Promise<{ code: string, moduleIds: string[] }>} the bundled code and the files it read
 */
export async function bundleForBrowser(file) {
  const output = await build({
    input: file,
    platform: 'browser',
    write: false,
    logLevel: 'warn',
    transform: { target: 'es2022' },
    output: { format: 'iife', minify: true, codeSplitting: false },
  });
  const chunk = output.output[0];
  return { code: chunk.code, moduleIds: chunk.moduleIds };
}
