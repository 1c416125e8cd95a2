import type { z } from 'zod';
import { HttpError } from './http-error.ts';

/**
 * Validates a value against a zod schema and turns the first problem into a 400 that names the
 * field (nodeloom-api.md 1.4: "Workflow name is required"). Messages set in a schema are used as
 * they are; zod's own messages are prefixed with the field path.
 * @param where `body`, `query parameter` or `path parameter`, for the message
 * @throws HttpError 400
 */
export function validate<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  if (value === undefined && where === 'body') {
    throw new HttpError(400, 'A JSON request body is required: send it with Content-Type: application/json.');
  }
  const issue = result.error.issues[0]!;
  const field = issue.path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`)).join('');
  const custom = !issue.message.startsWith('Invalid') && !issue.message.startsWith('Too ') && !issue.message.startsWith('Unrecognized');
  if (custom) throw new HttpError(400, issue.message);
  throw new HttpError(400, field ? `Invalid ${where} '${field}': ${issue.message}` : `Invalid ${where}: ${issue.message}`);
}
