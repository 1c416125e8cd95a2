import type { z } from 'zod';

/**
 * Query-string binding as Spring MVC does it (`@RequestParam`): a parameter sent several times
 * (`?status=FAILED&status=SUCCESS`) binds to a single-valued parameter (enum, integer, UUID,
 * boolean) as its **first** value, and to a `String` parameter as all values **joined with a
 * comma**. `Object.fromEntries(searchParams)` keeps the last value, which no Spring server does.
 * An empty value (`?page=`, `?status=`) of a single-valued parameter is as absent: Spring's
 * conversion service turns "" into null for a non-String type, so the default applies (`page` 0).
 * Parameters are single-valued unless their schema is marked with {@link textParam}.
 */

const TEXT_PARAMS = new WeakSet<object>();

/**
 * Marks a query field schema as a free-text `String` parameter (repeated values are joined with ",").
 * @returns the same schema
 */
export function textParam<T extends z.ZodType>(schema: T): T {
  TEXT_PARAMS.add(schema);
  return schema;
}

/** The field schemas of an object schema (unwrapping optional/default/pipe wrappers), or undefined. */
function shapeOf(schema: z.ZodType | undefined): Record<string, z.ZodType> | undefined {
  let current = schema as unknown as { _zod?: { def?: Record<string, unknown> }; shape?: Record<string, z.ZodType> } | undefined;
  for (let depth = 0; current && depth < 8; depth += 1) {
    if (current.shape) return current.shape;
    const def = current._zod?.def;
    current = (def?.innerType ?? def?.in ?? def?.schema) as typeof current;
  }
  return undefined;
}

/** Whether a field schema (or the schema it wraps) was marked with {@link textParam}. */
function isText(field: z.ZodType | undefined): boolean {
  let current = field as unknown as { _zod?: { def?: Record<string, unknown> } } | undefined;
  for (let depth = 0; current && depth < 8; depth += 1) {
    if (TEXT_PARAMS.has(current)) return true;
    const def = current._zod?.def;
    current = (def?.innerType ?? def?.in) as typeof current;
  }
  return false;
}

/**
 * The parameters of a route's query schema that bind as `String` (marked with {@link textParam}).
 * @returns their names, in the schema's order; [] for a schema without fields
 */
export function textParamNames(schema: z.ZodType | undefined): string[] {
  return Object.entries(shapeOf(schema) ?? {}).filter(([, field]) => isText(field)).map(([name]) => name);
}

/**
 * Binds a query string for a route's query schema.
 * @returns one string per parameter name: the first value, or for text parameters every value
 *   joined by ","; a single-valued parameter whose (first) value is empty is left out
 */
export function bindQuery(params: URLSearchParams, schema: z.ZodType | undefined): Record<string, string> {
  // No prototype: `__proto__` or `constructor` in a query string are just parameter names.
  const bound: Record<string, string> = Object.create(null);
  let shape: Record<string, z.ZodType> | undefined | null = null;
  for (const [name, value] of params) {
    if (!(name in bound)) {
      bound[name] = value;
      continue;
    }
    if (shape === null) shape = shapeOf(schema);
    if (isText(shape?.[name])) bound[name] = `${bound[name]},${value}`;
  }
  for (const name in bound) {
    if (bound[name] !== '') continue;
    if (shape === null) shape = shapeOf(schema);
    if (!isText(shape?.[name])) delete bound[name];
  }
  return bound;
}
