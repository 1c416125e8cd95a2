import { Ajv2020 } from 'ajv/dist/2020.js';
import * as formats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

/**
 * Validating answers against the OpenAPI document with ajv (JSON Schema 2020-12, OpenAPI 3.1's
 * dialect): the whole document is added as one schema with an `$id`, so `#/components/...`
 * references inside operation schemas resolve; OpenAPI keywords (`example`, `x-...`) are ignored.
 */

// ajv-formats is CommonJS: its plugin function sits on `default` (twice, through the interop).
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((formats as unknown as { default: { default?: FormatsPlugin } & FormatsPlugin }).default.default ??
  (formats as unknown as { default: FormatsPlugin }).default) as FormatsPlugin;

const DOC_ID = 'https://nodeloom-sandbox.test/openapi.json';

/** JSON Pointer escaping of one reference token. */
const escape = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** A validator over one document: `at(...tokens)` compiles the schema at that pointer. */
export function documentValidator(document: Record<string, unknown>) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOC_ID });
  const cache = new Map<string, ValidateFunction>();
  return {
    /** The validator of the schema at `#/<tokens...>` of the document. */
    at(...tokens: string[]): ValidateFunction {
      const ref = `${DOC_ID}#/${tokens.map(escape).join('/')}`;
      const validate = cache.get(ref) ?? ajv.compile({ $ref: ref });
      cache.set(ref, validate);
      return validate;
    },
  };
}

/** The events of an event-stream text, with their JSON data. */
export function parseEvents(text: string): Array<{ event: string; data: unknown }> {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      return { event, data: JSON.parse(data) as unknown };
    });
}
