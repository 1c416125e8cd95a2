import { test as base } from '@playwright/test';
import { connect, type SandboxClient } from 'nodeloom-sandbox/client';

/** Where the sandbox runs (the README's example uses http://localhost:4010). */
export const SANDBOX_URL = process.env.SANDBOX_URL ?? 'http://localhost:4010';

/**
 * The README's fixture: each worker gets its own namespace, reset before every test, and every
 * request the page makes to the sandbox carries it (X-Sandbox-Namespace).
 */
export const test = base.extend<{ sandbox: SandboxClient }, { sandboxNamespace: string }>({
  sandboxNamespace: [async ({}, use, workerInfo) => use(`pw-worker-${workerInfo.workerIndex}`), { scope: 'worker' }],
  sandbox: async ({ page, sandboxNamespace }, use) => {
    const sandbox = connect(SANDBOX_URL, { namespace: sandboxNamespace });
    await sandbox.reset();
    await page.route(`${SANDBOX_URL}/**`, (route) => route.continue({ headers: { ...route.request().headers(), ...sandbox.headers } }));
    await use(sandbox);
  },
});
export { expect } from '@playwright/test';
