import { HttpError } from './http-error.ts';

/**
 * Reads a JSON request body (nodeloom-api.md 1.3: requests with a body send
 * `Content-Type: application/json`).
 * @returns the parsed value, or undefined when the body is empty
 * @throws HttpError 415 when a non-empty body is not declared as JSON; 400 when it is not valid JSON
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  if (request.body === null) return undefined;
  const text = await request.text();
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
