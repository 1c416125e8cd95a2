import { routeToRegExp } from 'rou3';

/**
 * Compiles a rule's "METHOD /path/pattern" into a predicate. In scenario patterns `*` is one path
 * segment and `**` any number of segments (rou3's `*` would take the rest of the path, so a lone
 * `*` segment becomes a named one-segment param before rou3 turns the pattern into a RegExp).
 * @param when e.g. "POST /api/workflows", "GET,PUT /api/workflows/*", "* /api/credentials/**"
 * @returns `(method, pathname) => boolean`; `pathname` is the raw (encoded) URL path
 */
export function compileWhen(when: string): (method: string, pathname: string) => boolean {
  const [methodPart = '*', pathPart = '/**'] = when.trim().split(/\s+/);
  const methods = methodPart === '*' ? null : new Set(methodPart.toUpperCase().split(','));
  let segment = 0;
  const pattern = pathPart
    .split('/')
    .map((part) => (part === '*' ? `:seg${segment++}` : part))
    .join('/');
  const regexp = routeToRegExp(pattern);
  return (method, pathname) => (methods === null || methods.has(method.toUpperCase())) && regexp.test(pathname);
}
