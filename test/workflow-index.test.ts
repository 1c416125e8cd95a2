import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { newestFirst } from '../src/resources/workflows/workflow-index.ts';
import { call, testSandbox } from './helpers.ts';

/**
 * `GET /api/workflows` pages from a per-team index kept in step with every write
 * (src/resources/workflows/workflow-index.ts). After each step of a seeded mix of writes (creates,
 * renames, deletes, executions, refused and failed writes rolled back, namespaces sharing the
 * seeded records, resets), the list must equal the team's workflows filtered and sorted from the
 * table itself, the way the list was computed before the index.
 */
const ADMIN = 'sdk_sandbox_admin';

describe('the workflow list index', () => {
  it('lists exactly what a filter and sort of the table give, after every kind of write', async () => {
    const sandbox = testSandbox({ onUnexpectedError: () => undefined });
    let seed = 20261203;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const namespaces = ['', 'ns-a', 'ns-b'];
    const headersOf = (namespace: string) => (namespace ? { 'x-sandbox-namespace': namespace } : undefined);
    const send = (namespace: string, method: string, path: string, body?: unknown) => call(sandbox, method, path, { token: ADMIN, headers: headersOf(namespace), body });
    const stateOf = (namespace: string) => (namespace ? sandbox.namespace(namespace).state : sandbox.state);
    const check = async (namespace: string, step: string, search = '') => {
      const query = `teamId=${ACME_TEAM_ID}&size=1000${search ? `&search=${search}` : ''}`;
      const listed = (await send(namespace, 'GET', `/api/workflows?${query}`)).json.content.map((w: { id: string }) => w.id);
      const expected = stateOf(namespace)
        .db.workflows.filter((w) => w.teamId === ACME_TEAM_ID && w.name.toLowerCase().includes(search))
        .sort(newestFirst)
        .map((w) => w.id);
      expect(listed, step).toEqual(expected);
    };
    for (const namespace of namespaces) await check(namespace, `seeded ${namespace}`);
    for (let step = 0; step < 160; step++) {
      const namespace = namespaces[Math.floor(random() * namespaces.length)]!;
      const team = stateOf(namespace).db.workflows.filter((w) => w.teamId === ACME_TEAM_ID);
      const target = team[Math.floor(random() * team.length)];
      const roll = random();
      sandbox.namespace(namespace || 'default').clock.advance(`${1 + Math.floor(random() * 90)}s`);
      let label: string;
      if (roll < 0.3 || !target) {
        label = 'create';
        expect((await send(namespace, 'POST', '/api/workflows', { name: `Index ${step}`, teamId: ACME_TEAM_ID })).status).toBe(201);
      } else if (roll < 0.5) {
        label = 'rename';
        expect((await send(namespace, 'PUT', `/api/workflows/${target.id}`, { name: `Renamed ${step}` })).status).toBe(200);
      } else if (roll < 0.6) {
        label = 'delete';
        expect((await send(namespace, 'DELETE', `/api/workflows/${target.id}`)).status).toBeLessThan(300);
      } else if (roll < 0.75) {
        label = 'execute';
        expect((await send(namespace, 'POST', `/api/workflows/${target.id}/execute`, {})).status).toBeLessThan(300);
      } else if (roll < 0.85) {
        label = 'refused update';
        expect((await send(namespace, 'PUT', `/api/workflows/${target.id}`, { name: '' })).status).toBe(400);
      } else if (roll < 0.95) {
        // A rename whose audit entry cannot be written: the renamed workflow is rolled back
        // (src/data/undo-log.ts), through the index too.
        label = 'failed rename';
        const { db } = stateOf(namespace);
        const insert = db.auditLogs.insert.bind(db.auditLogs);
        db.auditLogs.insert = () => Promise.reject(new Error('injected: the audit entry cannot be written'));
        try {
          expect((await send(namespace, 'PUT', `/api/workflows/${target.id}`, { name: `Rolled back ${step}` })).status).toBe(500);
        } finally {
          db.auditLogs.insert = insert;
        }
        expect(stateOf(namespace).db.workflows.get(target.id)!.name).not.toBe(`Rolled back ${step}`);
      } else {
        label = 'reset';
        await sandbox.namespace(namespace || 'default').reset();
      }
      await check(namespace, `step ${step}: ${label} in ${namespace || 'default'}`);
      if (step % 20 === 0) await check(namespace, `step ${step}: search`, 'index');
    }
  });
});
