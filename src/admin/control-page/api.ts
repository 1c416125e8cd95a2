/**
 * The control page's one way to the sandbox: `fetch` on the control plane's HTTP API (the same
 * endpoints the README lists), with `X-Sandbox-Namespace` for the namespace picked on the page and
 * `X-Sandbox-Admin-Token` when the sandbox runs with `--admin-token` (asked once, kept in
 * sessionStorage for the tab). Runs in the browser only (bundled into the page).
 */

/** sessionStorage key of the admin token. */
export const TOKEN_KEY = 'nodeloom-sandbox.admin-token';

/** The control plane's base path, from the page's own address (`/__sandbox/` → `/__sandbox`). */
export const BASE = location.pathname.replace(/\/+$/, '');

/** A control call that failed: HTTP status and the Spring body's message. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The page's connection: which namespace it shows, and what to do when the token is missing or wrong. */
export const connection = {
  namespace: 'default',
  /** Called with `wrong: true` on a 403 (a token was sent but refused), false on a 401. */
  onNeedToken: (_wrong: boolean) => {},
};

/** Reads the stored admin token (null when none was given, or storage is blocked). */
export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Keeps the admin token for this tab. */
export function storeToken(token: string): void {
  try {
    sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage blocked (privacy mode): the token lives until the page is reloaded.
  }
  memoryToken = token;
}

let memoryToken: string | null = null;

/**
 * One control call. `path` is relative to the control plane (`/clock`). Bodies are sent as JSON
 * (a string is sent as is). @returns the response, when 2xx
 * @throws ControlError with the sandbox's message otherwise (after asking for the token on 401/403)
 */
export async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-sandbox-namespace': connection.namespace };
  const token = storedToken() ?? memoryToken;
  if (token !== null) headers['x-sandbox-admin-token'] = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const sent = fetch(BASE + path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  inFlight.add(sent);
  const response = await sent.finally(() => inFlight.delete(sent));
  if (response.ok) return response;
  const text = await response.text();
  let message = text;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    // not JSON: keep the text
  }
  if (response.status === 401 || response.status === 403) connection.onNeedToken(response.status === 403);
  throw new ControlError(response.status, message || `${method} ${path}: ${response.status}`);
}

/** The calls sent and not yet answered (see `settled`). */
const inFlight = new Set<Promise<Response>>();

/**
 * Resolves once every call sent so far has been answered or has failed. The page awaits it before
 * deleting a namespace: a poll sent before the switch still names the namespace, and the sandbox
 * creates a namespace on first use, so it would bring the deleted one back.
 */
export async function settled(): Promise<void> {
  await Promise.allSettled([...inFlight]);
}

/** A control call answered in JSON. */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  return (response.status === 204 ? null : await response.json()) as T;
}

/** Saves a control response as a file (snapshot, HAR): fetched with the headers, then a blob link. */
export async function download(path: string, filename: string): Promise<void> {
  const blob = await (await send('GET', path)).blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1_000);
}

/** Copies text to the clipboard (the Clipboard API, or a selected textarea where it is missing). */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}
