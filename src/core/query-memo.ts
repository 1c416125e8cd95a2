import type { AnyRoute } from './route.ts';

/**
 * A memo of bound and validated query strings, per route (issue 13: the query's zod parse was
 * about 4 % of the CLI's CPU per request). Binding (src/core/query.ts) and validating a query are
 * pure functions of the route's schema and the raw query string: no clock, no state. So the same
 * `?teamId=…&page=0&size=20` on the same route gives the same value, which is frozen, so a
 * handler cannot change what the next request gets. Invalid queries are not memoised: they throw
 * their 400 every time. Bounded: past {@link QUERY_MEMO_SIZE} strings per route the oldest is dropped.
 */

/** Query strings remembered per route. */
export const QUERY_MEMO_SIZE = 256;

/** Validated query values by route and raw query string (`url.search`, with its `?`). */
export class QueryMemo {
  readonly #byRoute = new WeakMap<AnyRoute, Map<string, Readonly<Record<string, unknown>>>>();

  /**
   * The validated query of `search` on `route`: remembered, or made by `bind` (which throws the
   * route's 400 for an invalid query; nothing is remembered then).
   */
  get(route: AnyRoute, search: string, bind: () => Record<string, unknown>): Readonly<Record<string, unknown>> {
    let memo = this.#byRoute.get(route);
    const known = memo?.get(search);
    if (known !== undefined) return known;
    const value = Object.freeze(bind());
    if (!memo) this.#byRoute.set(route, (memo = new Map()));
    if (memo.size >= QUERY_MEMO_SIZE) memo.delete(memo.keys().next().value!);
    memo.set(search, value);
    return value;
  }
}
