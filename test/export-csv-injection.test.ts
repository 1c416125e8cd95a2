import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { executionsCsv } from '../src/resources/executions/export.ts';
import { execution, NOW } from './execution-fixtures.ts';
import { call, testSandbox } from './helpers.ts';

const ADMIN = { token: 'sdk_sandbox_admin' };

describe('CSV export neutralises formula cells (OWASP CSV injection)', () => {
  it('exports a workflow named =HYPERLINK("http://x") as text prefixed with a quote, not as a formula', async () => {
    const sandbox = testSandbox();
    const workflow = await call(sandbox, 'POST', '/api/workflows', { ...ADMIN, body: { name: '=HYPERLINK("http://x")', teamId: ACME_TEAM_ID } });
    expect(workflow.status).toBe(201);
    expect((await call(sandbox, 'POST', `/api/workflows/${workflow.json.id}/execute`, { ...ADMIN, body: {} })).status).toBe(200);
    const csv = await call(sandbox, 'GET', `/api/executions/team/${ACME_TEAM_ID}/export?format=csv&workflowId=${workflow.json.id}`, ADMIN);
    expect(csv.status).toBe(200);
    const row = csv.text.split('\r\n')[1]!;
    expect(row).toContain(`,"'=HYPERLINK(""http://x"")",`);
    expect(row).not.toMatch(/,"?=HYPERLINK/);
  });

  it.each(['+SUM(A1)', '-2+3', '@cmd', '\tTabbed', '\rReturn', '＝FULLWIDTH'])('prefixes a text cell starting with %j', (name) => {
    const csv = executionsCsv([execution('ex-1', -60_000, { workflowName: name })], NOW);
    const cells = csv.split('\r\n')[1]!;
    expect(cells).toContain(`'${name}`);
  });

  it('leaves ordinary text and numbers as they are', () => {
    const csv = executionsCsv([execution('ex-1', -60_000, { workflowName: 'Daily report - v2' })], NOW);
    const row = csv.split('\r\n')[1]!;
    expect(row).toContain(',Daily report - v2,');
    expect(row).not.toContain("'");
  });
});
