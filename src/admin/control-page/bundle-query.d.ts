/**
 * `import code from './file.ts?bundle'`: the file bundled for the browser as one minified IIFE
 * string, made at build time by build/bundle-query.ts (tsdown and vitest both use it).
 */
declare module '*?bundle' {
  const code: string;
  export default code;
}
