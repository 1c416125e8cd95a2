import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocsAsset, DocsAssetReader } from '../openapi/serve.ts';

/**
 * The API reference's files for the node hosts: Swagger UI's prebuilt bundle and stylesheet from
 * `swagger-ui-dist` (chosen over Scalar and Redoc, whose current versions need Node 22 and pull in
 * dozens of packages). The build copies them into `dist/swagger-ui/` (tsdown.config.ts), so the
 * package needs no viewer dependency at run time; from the sources (tests), they are read from the
 * swagger-ui-dist development dependency. Only the files the page loads are served, each read once.
 */

/** The files the page uses, with their media types. */
const FILES: Record<string, string> = {
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** Where the files are: beside the built module (dist/ or dist/cjs/), else the swagger-ui-dist package. */
function assetRoot(): string {
  for (const relative of ['./swagger-ui/', '../swagger-ui/']) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(join(dir, 'swagger-ui-bundle.js'))) return dir;
  }
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

/**
 * Makes the reader of the viewer's files.
 * @returns a reader answering undefined for files the page does not use; it rejects when the
 *   files cannot be found or read (the core then answers 500)
 */
export function swaggerUiAssets(): DocsAssetReader {
  const cache = new Map<string, Promise<DocsAsset>>();
  let root: string | undefined;
  return (file) => {
    const contentType = FILES[file];
    if (!contentType) return Promise.resolve(undefined);
    let asset = cache.get(file);
    if (!asset) {
      root ??= assetRoot();
      asset = readFile(join(root, file)).then((bytes) => ({ body: new Uint8Array(bytes), contentType }));
      asset.catch(() => cache.delete(file));
      cache.set(file, asset);
    }
    return asset;
  };
}
