import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { call, captureData, expectSameData, expectSpringError, testSandbox } from './helpers.ts';

/**
 * Issue 7, finding 3, "half-applied writes": execute answered 500 "The request was not applied"
 * but the execution had been stored, inserted before the failing workflow update. Every write runs
 * in one undo-log transaction (src/data/undo-log.ts), so a write either fully happens or leaves no
 * trace. These tests make a table fail in the middle of a real handler and check nothing stayed.
 */
describe('half-applied writes: a write that fails midway leaves no trace', () => {
  it('execute whose workflow update fails answers 500 and stores no execution, and the next execute works', async () => {
    const unexpected: unknown[] = [];
    const sandbox = testSandbox({ onUnexpectedError: (error) => unexpected.push(error) });
    await sandbox.ready;
    const { db } = sandbox.state;
    const workflow = db.workflows.filter((w) => w.teamId === ACME_TEAM_ID && w.active)[0]!;
    const executionsBefore = db.executions.count();
    const before = captureData((await sandbox.snapshot()).datasets);
    const update = db.workflows.update.bind(db.workflows);
    db.workflows.update = () => Promise.reject(new Error('injected: the workflow update fails after the execution was inserted'));
    const failed = await call(sandbox, 'POST', `/api/workflows/${workflow.id}/execute`, { token: 'sdk_sandbox_admin', body: {} });
    expect(failed.status).toBe(500);
    expectSpringError(failed, 500, 'Internal Server Error', `/api/workflows/${workflow.id}/execute`);
    expect(unexpected).toHaveLength(1);
    expect(db.executions.count()).toBe(executionsBefore);
    // No table moved. (The id and random counters did, as a database sequence does after a
    // rolled-back transaction: the failed call's id is not reused.)
    const after = await sandbox.snapshot();
    expect(Object.keys(after.datasets.default?.tables ?? {})).toContain('executions');
    expectSameData(after.datasets, before, { tablesOnly: true });

    db.workflows.update = update;
    const next = await call(sandbox, 'POST', `/api/workflows/${workflow.id}/execute`, { token: 'sdk_sandbox_admin', body: {} });
    expect(next.status).toBeLessThan(300);
    expect(db.executions.count()).toBe(executionsBefore + 1);
  });

  it('a create whose audit entry cannot be written answers 500 and keeps no workflow', async () => {
    const sandbox = testSandbox({ onUnexpectedError: () => undefined });
    await sandbox.ready;
    const { db } = sandbox.state;
    const before = db.workflows.count();
    const auditInsert = db.auditLogs.insert.bind(db.auditLogs);
    db.auditLogs.insert = () => Promise.reject(new Error('injected: the audit entry cannot be written'));
    const failed = await call(sandbox, 'POST', '/api/workflows', { token: 'sdk_sandbox_admin', body: { name: 'Half applied?', teamId: ACME_TEAM_ID } });
    expect(failed.status).toBe(500);
    expect(db.workflows.count()).toBe(before);
    expect(db.workflows.filter((w) => w.name === 'Half applied?')).toEqual([]);
    db.auditLogs.insert = auditInsert;
  });
});
