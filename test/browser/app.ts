/**
 * The browser test page (test/browser.test.ts): the whole core bundled by rolldown for the browser,
 * behind msw's `setupWorker` through `createHandlers`. The test drives it with Playwright and
 * calls `harness.call(...)` from `page.evaluate`, so every request is a real page `fetch` that the
 * service worker intercepts.
 */
import { setupWorker } from 'msw/browser';
import { createHandlers } from '../../src/hosts/msw.ts';
import { createSandbox } from '../../src/sandbox.ts';

/** A page `fetch` result, in a form that crosses `page.evaluate`. */
export interface CallResult {
  status: number;
  /** `Response.type` as the page sees it (`basic`, `cors`, ...). */
  type: string;
  /** Lower-cased header names, as the page can read them. */
  headers: Record<string, string>;
  text: string;
}

/** A streamed page `fetch`: the head, then each body chunk with when it arrived (ms since the call). */
export interface StreamResult {
  status: number;
  headers: Record<string, string>;
  /** When `fetch` resolved (the head arrived), ms since the call. */
  headersAt: number;
  chunks: Array<{ at: number; text: string }>;
}

/** What the page exposes on `globalThis.__sandboxHarness`. */
export interface BrowserHarness {
  /** Settles once the worker is started and controls the page (rejects with the reason otherwise). */
  ready: Promise<void>;
  /** Whether a service worker controls this page. */
  controlled(): boolean;
  /** Runs `fetch(input, init)` in the page and reads the whole answer. */
  call(input: string, init?: RequestInit): Promise<CallResult>;
  /** Runs `fetch(input, init)` in the page and reads the body chunk by chunk, timing each chunk. */
  stream(input: string, init?: RequestInit): Promise<StreamResult>;
  /** URLs msw answered from the sandbox (`response:mocked`). */
  mocked: string[];
  /** URLs msw let through to the network (`response:bypass`). */
  bypassed: string[];
  /** Errors thrown by a handler (`unhandledException`): the core failing in the browser. */
  exceptions: string[];
}

/** How the test reads the harness off the page's global object. */
export type HarnessGlobal = typeof globalThis & { __sandboxHarness: BrowserHarness };

const sandbox = createSandbox({ now: '2026-11-01T12:00:00.000Z' });
const worker = setupWorker(...createHandlers(sandbox));

const harness: BrowserHarness = {
  ready: start(),
  controlled: () => navigator.serviceWorker.controller !== null,
  async call(input, init) {
    const response = await fetch(input, init);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, type: response.type, headers, text: await response.text() };
  },
  async stream(input, init) {
    const started = performance.now();
    const response = await fetch(input, init);
    const headersAt = performance.now() - started;
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const chunks: StreamResult['chunks'] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push({ at: performance.now() - started, text: decoder.decode(value, { stream: true }) });
    }
    return { status: response.status, headers, headersAt, chunks };
  },
  mocked: [],
  bypassed: [],
  exceptions: [],
};
(globalThis as HarnessGlobal).__sandboxHarness = harness;

worker.events.on('response:mocked', ({ request }) => harness.mocked.push(request.url));
worker.events.on('response:bypass', ({ request }) => harness.bypassed.push(request.url));
worker.events.on('unhandledException', ({ request, error }) => {
  harness.exceptions.push(`${request.method} ${request.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
});

async function start(): Promise<void> {
  const status = document.getElementById('status')!;
  try {
    await worker.start({ quiet: true, onUnhandledRequest: 'bypass', serviceWorker: { url: '/mockServiceWorker.js' } });
    status.textContent = 'ready';
  } catch (error) {
    status.textContent = `failed: ${String(error)}`;
    throw error;
  }
}
