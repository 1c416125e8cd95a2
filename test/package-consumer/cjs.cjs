// Plain Node CommonJS: require every entry, create a sandbox and fetch a page through it.
const { ACME_TEAM_ID, createSandbox } = require('nodeloom-sandbox');
const { createHandlers } = require('nodeloom-sandbox/msw');
const { createApp, sandboxErrorHandler } = require('nodeloom-sandbox/express');
const { connect } = require('nodeloom-sandbox/client');

(async () => {
  const sandbox = createSandbox({ now: '2026-11-01T12:00:00.000Z' });
  const response = await sandbox.fetch(
    new Request(`http://localhost/api/workflows?teamId=${ACME_TEAM_ID}&size=3`, { headers: { authorization: 'Bearer sdk_sandbox_admin' } }),
  );
  const page = await response.json();
  const kinds = [createHandlers, createApp, sandboxErrorHandler, connect].map((f) => typeof f);
  console.log(JSON.stringify({ status: response.status, size: page.content.length, kinds }));
})();
