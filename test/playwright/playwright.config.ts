import { defineConfig } from '@playwright/test';

/**
 * Runs the README's Playwright fixture (fixtures.ts) against a running sandbox at SANDBOX_URL, two
 * workers in parallel, in Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium; never a
 * downloaded browser). Started by test/playwright.test.ts, which serves the sandbox first, and
 * which passes PW_WS_ENDPOINT when the suite has a Chromium running already (test/setup/global.ts):
 * the workers then connect to it instead of launching their own.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  workers: 2,
  fullyParallel: true,
  retries: 0,
  timeout: 60_000,
  reporter: 'list',
  use: {
    headless: true,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] },
    connectOptions: process.env.PW_WS_ENDPOINT ? { wsEndpoint: process.env.PW_WS_ENDPOINT } : undefined,
  },
});
