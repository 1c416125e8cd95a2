import type { Options, ValidateFunction } from 'ajv';
import { RE2JS } from 're2js';
import { locateJson } from './json-locate.ts';
import { clip, type Finding } from './violation.ts';

/**
 * Schema validation (nodeloom-api.md 3.8 `validateSchema` + `jsonSchema`): `text` is parsed as
 * JSON and validated with ajv (a well-kept JSON Schema validator; draft-07 by default, 2019-09 and
 * 2020-12 when `$schema` names them). Every problem is a violation naming it, never a 500: text that
 * is not JSON (`schema.invalid_json`, with the parser's position), a schema ajv cannot compile
 * (`schema.invalid_schema`), no schema sent (`schema.missing_schema`), and each mismatch
 * (`schema.<keyword>`, spanning the offending value), and validation that cannot finish
 * (`schema.validation_failed`, e.g. a recursive schema over JSON nested too deep for the stack). `format` is not asserted (an annotation, as
 * JSON Schema 2019-09+ has it); `pattern` runs on RE2 (re2js), so a schema's regex cannot hang the
 * server. Cost: parsing and validating are linear in the text for the usual keywords
 * (`uniqueItems` over objects is quadratic, as in every validator, within the 100,000-character
 * bound).
 */

/** ajv's pattern engine: RE2 semantics, linear time, no lookaround or backreferences. */
const re2Engine = Object.assign(
  (pattern: string) => {
    const re = RE2JS.compile(pattern);
    return { test: (s: string) => re.test(s) };
  },
  { code: 're2js' },
);

type Draft = 'draft7' | 'draft2019' | 'draft2020';
/** The ajv class of each draft, loaded on the first schema check ({@link loadSchemaValidators}). */
let DRAFTS: Record<Draft, new (options: Options) => SchemaCompiler> | null = null;

/**
 * Loads ajv once (about 80 ms the first time), so starting the sandbox does not pay for it. ajv is
 * CommonJS: a dynamic import's `default` is the module, and its `default` is the class (at run
 * time the module is the class itself, which also carries `default`).
 */
export async function loadSchemaValidators(): Promise<void> {
  if (DRAFTS) return;
  const [draft7, draft2019, draft2020] = await Promise.all([import('ajv'), import('ajv/dist/2019.js'), import('ajv/dist/2020.js')]);
  DRAFTS = { draft7: draft7.default.default, draft2019: draft2019.default.default, draft2020: draft2020.default.default };
}

/** What is used of an ajv instance. */
interface SchemaCompiler {
  compile(schema: object): ValidateFunction;
  removeSchema(schema: object): unknown;
}

const OPTIONS = { allErrors: true, strict: false, logger: false as const, addUsedSchema: false, validateFormats: false, code: { regExp: re2Engine } };

/** Errors reported per text at most (each a violation). */
const MAX_ERRORS = 20;
/** Compiled schemas kept, least recently used dropped first. */
const CACHE_SIZE = 32;
/**
 * ajv keeps every schema object it compiled. Ours are dropped from it right after compiling
 * (`removeSchema`), except those with an `$id` (removing one could drop a schema ajv needs, such as
 * its meta-schema, if the ids collide): after this many of those, the instance is replaced (its
 * first compile costs ~150 ms, compiling the meta-schema).
 */
const ID_COMPILES_PER_INSTANCE = 64;

/**
 * Compiled validators by schema text. A memo of a pure function shared by every sandbox in the
 * process: what a schema accepts does not depend on who compiled it, so sharing changes nothing a
 * client can observe, and ajv compiles a schema to JavaScript, which is worth doing once.
 */
const compiled = new Map<string, ValidateFunction | string>();
/** One ajv instance per draft, made on first use. */
const instances = new Map<Draft, { ajv: SchemaCompiler; idCompiles: number }>();

/** Compiles a schema with the ajv of its draft (2020-12 and 2019-09 when `$schema` names them, else draft-07). */
function compileSchema(schema: object | boolean): ValidateFunction {
  const declared = typeof schema === 'object' ? (schema as { $schema?: unknown }).$schema : undefined;
  const draft: Draft = typeof declared === 'string' && declared.includes('2020-12') ? 'draft2020' : typeof declared === 'string' && declared.includes('2019-09') ? 'draft2019' : 'draft7';
  let entry = instances.get(draft);
  if (!entry || entry.idCompiles >= ID_COMPILES_PER_INSTANCE) instances.set(draft, (entry = { ajv: new DRAFTS![draft](OPTIONS), idCompiles: 0 }));
  const hasId = typeof schema === 'object' && ('$id' in schema || 'id' in schema);
  if (hasId) entry.idCompiles += 1;
  const validate = entry.ajv.compile(schema as object);
  if (!hasId && typeof schema === 'object') entry.ajv.removeSchema(schema);
  return validate;
}

/** The validator of a schema, or the reason it does not compile. */
function validatorFor(schema: unknown): ValidateFunction | string {
  const key = JSON.stringify(schema);
  const hit = compiled.get(key);
  if (hit !== undefined) {
    compiled.delete(key);
    compiled.set(key, hit);
    return hit;
  }
  let result: ValidateFunction | string;
  if (schema === null || (typeof schema !== 'object' && typeof schema !== 'boolean') || Array.isArray(schema)) {
    result = `jsonSchema must be a JSON Schema object (or true/false), got ${Array.isArray(schema) ? 'an array' : typeof schema === 'string' ? 'a string' : String(schema)}`;
  } else {
    try {
      result = compileSchema(schema as object | boolean);
    } catch (error) {
      result = (error as Error).message;
    }
  }
  compiled.set(key, result);
  if (compiled.size > CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
  return result;
}

/**
 * Runs schema validation ({@link loadSchemaValidators} first).
 * @param schema the `jsonSchema` sent (undefined when none)
 */
export function detectSchema(text: string, schema: unknown): Finding[] {
  if (schema === undefined || schema === null) {
    return [problem('schema.missing_schema', 'MEDIUM', 'validateSchema is true but no jsonSchema was sent: add "jsonSchema": {…} to the request.', 0, 0, '')];
  }
  const validate = validatorFor(schema);
  if (typeof validate === 'string') {
    return [{ ...problem('schema.invalid_schema', 'MEDIUM', `jsonSchema is not a valid JSON Schema: ${validate}`, 0, 0, ''), details: { rule: 'schema.invalid_schema', start: 0, end: 0, match: '', schemaError: validate } }];
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const at = position ? Number(position[1]) : /end of JSON input/i.test(message) ? text.length : 0;
    return [problem('schema.invalid_json', 'HIGH', `text is not valid JSON: ${message}`, at, Math.min(text.length, at + 1), clip(text.slice(at, at + 20)))];
  }
  let valid: boolean;
  try {
    valid = validate(data) as boolean;
  } catch (error) {
    // A recursive schema over very deeply nested JSON can exhaust the stack: a finding, not a 500.
    return [problem('schema.validation_failed', 'MEDIUM', `The JSON could not be validated against the schema: ${(error as Error).message}`, 0, text.length, clip(text))];
  }
  if (valid) return [];
  return (validate.errors ?? []).slice(0, MAX_ERRORS).map((error) => {
    const span = locateJson(text, error.instancePath) ?? [0, text.length];
    const where = error.instancePath || '/';
    return {
      type: 'SCHEMA_VALIDATION' as const,
      severity: 'MEDIUM' as const,
      message: `JSON at ${where} ${error.message ?? 'does not match the schema'} (schema ${error.schemaPath}).`,
      confidence: 1,
      details: {
        rule: `schema.${error.keyword}`,
        start: span[0],
        end: span[1],
        match: clip(text.slice(span[0], span[1])),
        instancePath: error.instancePath,
        schemaPath: error.schemaPath,
        params: error.params,
      },
    };
  });
}

function problem(rule: string, severity: 'MEDIUM' | 'HIGH', message: string, start: number, end: number, match: string): Finding {
  return { type: 'SCHEMA_VALIDATION', severity, message, confidence: 1, details: { rule, start, end, match } };
}
