import { HttpError } from './http-error.ts';

/** The largest request body accepted, bytes: the self-hosted nginx's `client_max_body_size 50M` (nodeloom-api.md 1.1). */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;

function tooLarge(): HttpError {
  return new HttpError(413, `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB, the limit of NodeLoom's proxy (client_max_body_size 50M).`);
}

/**
 * Reads a JSON request body (nodeloom-api.md 1.3: requests with a body send
 * `Content-Type: application/json`).
 * @returns the parsed value, or undefined when the body is empty
 * @throws HttpError 413 past {@link MAX_BODY_BYTES}; 415 when a non-empty body is not declared as JSON; 400 when it is not valid JSON
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  if (request.body === null) return undefined;
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw tooLarge();
  if (text.trim() === '') return undefined;
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType.trim())) {
    throw new HttpError(
      415,
      `Content-Type '${contentType || '(none)'}' is not supported. Send the body as JSON with Content-Type: application/json.`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `Malformed JSON request body: ${(error as Error).message}`);
  }
}
