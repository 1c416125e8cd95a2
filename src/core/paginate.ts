import { z } from 'zod';

/**
 * Spring-style pages (nodeloom-api.md 1.6): 0-based `page` (default 0), `size` (default 20,
 * clamped to 100 [INF]), and the documented page object. Callers sort newest first before paging.
 */

/** Default and largest page size. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

// A query parameter arrives as text; the OpenAPI document types it as Spring documents an `int`
// @RequestParam (`.meta`, see src/openapi/document.ts), so generated clients take a number.
// Java's `int` stops at 2^31 - 1: Spring answers a larger value 400 (a type mismatch).
const INT_MAX = 2_147_483_647;
const integerParam = (name: string, min: number) => {
  const message = `Query parameter '${name}' must be an integer from ${min} to ${INT_MAX}.`;
  return z
    .string()
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().int(message).min(min, message).max(INT_MAX, message))
    .meta({ type: 'integer', minimum: min, maximum: INT_MAX });
};

/** Zod fields for `page` and `size` query parameters; spread into a route's query schema. */
export function pageQueryFields(defaultSize = DEFAULT_PAGE_SIZE) {
  return {
    page: integerParam('page', 0).optional().default(0),
    size: integerParam('size', 1)
      .optional()
      .default(defaultSize)
      .transform((size) => Math.min(size, MAX_PAGE_SIZE)),
  };
}

/** The documented page object. */
export interface Page<T> {
  content: T[];
  totalElements: number;
  totalPages: number;
  number: number;
  size: number;
}

/** A sorted list read by position (an index's answer), as {@link toPage} takes besides arrays. */
export interface PositionalList<S> {
  readonly total: number;
  /** Items at positions [start, end). */
  slice(start: number, end: number): S[];
}

/**
 * Cuts one page out of an already sorted list.
 * @param items every matching item, newest first: an array, or a {@link PositionalList}
 * @param map turns a stored item into its wire shape (only called for the page's items)
 */
export function toPage<S, T>(items: readonly S[] | PositionalList<S>, page: number, size: number, map: (item: S) => T): Page<T> {
  const start = page * size;
  const total = 'total' in items ? items.total : items.length;
  return {
    content: items.slice(start, start + size).map(map),
    totalElements: total,
    totalPages: Math.ceil(total / size),
    number: page,
    size,
  };
}

/** The zod schema of a {@link Page} of `item` (for the OpenAPI document's answers). */
export function pageSchema<T extends z.ZodType>(item: T) {
  const count = z.number().int().min(0);
  return z.object({ content: z.array(item), totalElements: count, totalPages: count, number: count, size: count });
}
