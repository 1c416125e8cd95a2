import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

/**
 * Validating answers against the OpenAPI document with ajv (JSON Schema 2020-12, OpenAPI 3.1's
 * dialect): the whole document is added as one schema with an `$id`, so `#/components/...`
 * references inside operation schemas resolve; OpenAPI keywords (`example`, `x-...`) are ignored.
 */

// ajv and ajv-formats are CommonJS: the class and function sit on `default`.
const Ajv2020 = (Ajv2020Module as unknown as { default: typeof Ajv2020Module }).default ?? Ajv2020Module;
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule }).default ?? addFormatsModule;

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
      let validate = cache.get(ref);
      if (!validate) cache.set(ref, (validate = ajv.compile({ $ref: ref })));
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
