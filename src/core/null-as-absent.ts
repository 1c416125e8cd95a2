import type { z } from 'zod';

/**
 * Request bodies bound as Jackson binds them into Spring's request DTOs: a JSON `null` for a field
 * leaves the field unset, exactly as if it had not been sent. So `{"title": null}` is the same call
 * as `{}`: accepted where the field is optional, "required" where it is not (Bean Validation's
 * `@NotNull` then says so). Python clients send `None` fields as `null` (`json.dumps`), and Jackson's
 * clients (`@JsonInclude` off) do too.
 *
 * A field whose schema takes `null` itself (a nullable field such as a description that `null`
 * clears) keeps it. Nested objects and arrays of objects are handled the same way, through their
 * schemas; unions and records are left as they are.
 */

/** The zod 4 definition fields read here (`schema._zod.def`). */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * The object or array schema under optional, nullable, default and pipe wrappers, if any: a pipe's
 * input side (`schema.transform()`), or its output side after a `z.preprocess()` function.
 */
function container(schema: z.ZodType): z.ZodType | undefined {
  for (let current: z.ZodType | undefined = schema, hops = 0; current && hops < 16; hops++) {
    const def = defOf(current);
    if (def.type === 'object' || def.type === 'array') return current;
    if (def.type === 'pipe') current = def.in && defOf(def.in).type === 'transform' ? def.out : def.in;
    else current = def.innerType;
  }
  return undefined;
}

const takesNull = (schema: z.ZodType) => schema.safeParse(null).success;

/**
 * `value` with every `null` that `schema` would refuse where it stands removed, as Jackson leaves
 * such a field unset. Returns `value` itself when there is nothing to remove (no copy); never
 * changes `value`.
 * @param schema the route's body schema
 * @param value the parsed JSON body
 */
export function nullAsAbsent(schema: z.ZodType, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const holder = container(schema);
  if (!holder) return value;
  const def = defOf(holder);
  if (def.type === 'array') {
    if (!Array.isArray(value) || !def.element) return value;
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const bound = nullAsAbsent(def.element!, item);
      if (bound !== item) (copy ??= value.slice())[index] = bound;
    });
    return copy ?? value;
  }
  if (Array.isArray(value) || !def.shape) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const field = Object.hasOwn(def.shape, key) ? def.shape[key] : undefined;
    if (!field) continue;
    if (item === null) {
      if (!takesNull(field)) delete (copy ??= { ...value })[key];
      continue;
    }
    const bound = nullAsAbsent(field, item);
    if (bound !== item) (copy ??= { ...value })[key] = bound;
  }
  return copy ?? value;
}
