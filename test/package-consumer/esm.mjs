// Plain Node ESM: create a sandbox and fetch a page through it.
import { ACME_TEAM_ID, createSandbox } from 'nodeloom-sandbox';

const sandbox = createSandbox({ now: '2026-11-01T12:00:00.000Z' });
const response = await sandbox.fetch(
  new Request(`http://localhost/api/workflows?teamId=${ACME_TEAM_ID}&size=2`, { headers: { authorization: 'Bearer sdk_sandbox_admin' } }),
);
const page = await response.json();
console.log(JSON.stringify({ status: response.status, size: page.content.length }));
