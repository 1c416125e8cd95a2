/**
 * Response helpers. Creates answer 201, deletes without a documented body 204; a 200 is never
 * empty, because SDKs call `response.json()` on it (nodeloom-api.md 1.4, 5.8).
 */

/** A JSON response (`content-type: application/json`), status 200 unless given. */
export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  const response = new Response(JSON.stringify(data), { status, headers });
  response.headers.set('content-type', 'application/json');
  return response;
}

/** 204 No Content. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}
