import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openApiDocument, openApiYaml } from '../openapi/index.ts';

/**
 * `nodeloom-sandbox openapi [--out <file>] [--format json|yaml] [--server <url>]`: prints the
 * OpenAPI 3.1 document (src/openapi) to stdout, or writes it to a file. The format follows the
 * file's extension (`.yaml`/`.yml`: YAML) unless `--format` says otherwise; JSON by default.
 */

/** The usage of the subcommand. */
export const OPENAPI_USAGE = `Usage: nodeloom-sandbox openapi [--out <file>] [--format json|yaml] [--server <url>]

Prints the OpenAPI 3.1 document of the NodeLoom API the sandbox serves (also at GET /openapi.json).
  -o, --out <file>      write it to <file> instead of stdout
      --format <f>      json or yaml (default: yaml for a .yaml/.yml --out, else json)
      --server <url>    servers[0].url (default: /, the origin serving it), e.g. http://localhost:4010
  -h, --help            show this help
`;

/** Where the subcommand writes and how it ends (the CLI's io). */
export interface OpenApiIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
  exit: (code: number) => void;
}

/** The last line of every usage error. */
const HELP_HINT = 'Run nodeloom-sandbox openapi --help for the options.\n';

/**
 * Runs the subcommand: exit 0 once written, 2 for bad arguments, 1 when the file cannot be written.
 * @param argv the arguments after `openapi`
 */
export async function runOpenApiCommand(argv: readonly string[], io: OpenApiIo): Promise<void> {
  let values: { out?: string; format?: string; server?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { out: { type: 'string', short: 'o' }, format: { type: 'string' }, server: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`nodeloom-sandbox openapi: ${(error as Error).message}\n${HELP_HINT}`);
    return io.exit(2);
  }
  if (values.help) {
    io.stdout.write(OPENAPI_USAGE);
    return io.exit(0);
  }
  const format = values.format ?? (values.out && /\.ya?ml$/i.test(values.out) ? 'yaml' : 'json');
  if (format !== 'json' && format !== 'yaml') {
    io.stderr.write(`nodeloom-sandbox openapi: --format must be json or yaml, got "${format}".\n${HELP_HINT}`);
    return io.exit(2);
  }
  const options = values.server === undefined ? {} : { serverUrl: values.server };
  const text = format === 'yaml' ? await openApiYaml(options) : `${JSON.stringify(openApiDocument(options), null, 2)}\n`;
  if (values.out === undefined) {
    io.stdout.write(text);
    return io.exit(0);
  }
  const file = resolve(io.cwd, values.out);
  try {
    await writeFile(file, text);
  } catch (error) {
    io.stderr.write(`nodeloom-sandbox openapi: cannot write ${file}: ${(error as Error).message}\n`);
    return io.exit(1);
  }
  io.stderr.write(`Wrote the OpenAPI document (${format}) to ${file}\n`);
  io.exit(0);
}
