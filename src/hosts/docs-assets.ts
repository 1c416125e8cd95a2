import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DocsAsset, DocsAssetReader } from '../openapi/serve.ts';

/**
 * The API reference's files for the node hosts: Swagger UI from the `swagger-ui-dist` package
 * (a dependency; chosen over Scalar and Redoc, whose current versions need Node 22 and pull in
 * dozens of packages, while swagger-ui-dist is prebuilt files with one tiny dependency). Only the
 * files the page loads are served; each is read once and kept.
 */

/** The files the page uses, with their media types. */
const FILES: Record<string, string> = {
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/**
 * Makes the reader of the viewer's files.
 * @returns a reader answering undefined for files the page does not use; it rejects when
 *   swagger-ui-dist is not installed (the core then answers 500 naming the error)
 */
export function swaggerUiAssets(): DocsAssetReader {
  const cache = new Map<string, Promise<DocsAsset>>();
  let root: string | undefined;
  return (file) => {
    const contentType = FILES[file];
    if (!contentType) return Promise.resolve(undefined);
    let asset = cache.get(file);
    if (!asset) {
      root ??= dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
      asset = readFile(join(root, file)).then((bytes) => ({ body: new Uint8Array(bytes), contentType }));
      asset.catch(() => cache.delete(file));
      cache.set(file, asset);
    }
    return asset;
  };
}
