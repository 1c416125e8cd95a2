import { expect, SANDBOX_URL, test } from './fixtures.ts';

const ACME = '0a1c3e00-0000-4000-8000-00000000ac01';

for (const name of ['first', 'second']) {
  test(`the ${name} test sees only its own worker's writes`, async ({ page, sandbox }) => {
    await page.goto(`${SANDBOX_URL}/actuator/health`);
    const label = `made by ${sandbox.namespace}`;
    const created = await page.evaluate(
      async ([url, body]) => (await fetch(`${url}/api/workflows`, { method: 'POST', headers: { authorization: 'Bearer sdk_sandbox_admin', 'content-type': 'application/json' }, body })).status,
      [SANDBOX_URL, JSON.stringify({ name: label, teamId: ACME })] as const,
    );
    expect(created).toBe(201);
    const entry = await sandbox.waitForRequest({ method: 'POST', path: '/api/workflows' }, 10_000);
    expect(entry.status).toBe(201);
    const names = await page.evaluate(
      async (url) => ((await (await fetch(`${url}/api/workflows?search=made%20by&size=100`, { headers: { authorization: 'Bearer sdk_sandbox_admin' } })).json()) as { content: Array<{ name: string }> }).content.map((w) => w.name),
      SANDBOX_URL,
    );
    expect(names).toEqual([label]);
    expect(await sandbox.journal.count({ method: 'POST' })).toBe(1);
  });
}
