import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { inject } from 'vitest';

/**
 * Debian's Chromium for the browser test files (never a downloaded browser): `/usr/bin/chromium`
 * or `CHROMIUM_PATH`. Files skip, saying why, when it is missing (`apt-get install chromium`, as
 * .ci/run does).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/**
 * Headless, no sandbox (root in CI), no GPU, nothing that calls out to the network by itself, and
 * page scripts run by V8 on the page's own thread with its tiers up to Maglev only
 * (`--single-threaded,--max-opt=2`): the pages of a test run briefly, so TurboFan's background
 * compiles and V8's helper threads were mostly work thrown away. Measured on the 2-core machine,
 * the reference page's load and "Try it": 8.1 -> 5.9 s of Chromium CPU in all (renderer thread pool
 * 2.9 -> 0.5 s) at the same wall time; the five browser files: Chromium 21.6-24.9 -> 17.9-18.1 s.
 * No behaviour of a page changes: only where and how far V8 compiles.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--js-flags=--single-threaded,--max-opt=2',
];

/**
 * A browser for one test file: a connection to the Chromium that test/setup/global.ts launched for
 * the whole run (launching one costs ~1 s and its close ~0.3 s, measured), or a browser of its own
 * when the file runs without that setup. `close()` it in afterAll: for a connection, that closes the
 * file's contexts and leaves the shared browser running. Use a context (or `newPage()`) per test.
 */
export async function openBrowser(): Promise<Browser> {
  const wsEndpoint = inject('chromiumWsEndpoint');
  if (wsEndpoint) return chromium.connect(wsEndpoint);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
