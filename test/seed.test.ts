import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, FIXED_TEAMS, FIXED_TOKENS, FIXED_USERS, HOBBY_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { forgetSeededRecords } from '../src/namespace.ts';
import { topologicalOrder } from '../src/resources/executions/plan.ts';
import { statusAt } from '../src/resources/executions/view.ts';
import { call, login, testSandbox, TEST_NOW } from './helpers.ts';
import { recordsBeforeTheirTime } from './seed-consistency.ts';

const EPOCH = Date.parse(TEST_NOW);
const DAY = 86_400_000;
const TRIGGER_FOR = { WEBHOOK_TRIGGER: 'WEBHOOK', MANUAL_TRIGGER: 'MANUAL', SCHEDULE_TRIGGER: 'SCHEDULE', CHAT_TRIGGER: 'CHAT' } as Record<string, string>;

async function seeded(seed?: number): Promise<Sandbox> {
  const sandbox = testSandbox(seed === undefined ? {} : { seed });
  await sandbox.ready;
  return sandbox;
}

describe('seeded workflows and executions', () => {
  it('gives Acme at least 25 workflows and 200 executions and Hobby a handful', async () => {
    const { state } = await seeded();
    const count = (teamId: string) => ({
      workflows: state.db.workflows.filter((w) => w.teamId === teamId).length,
      executions: state.db.executions.filter((e) => e.teamId === teamId).length,
    });
    expect(count(ACME_TEAM_ID)).toEqual({ workflows: 30, executions: 240 });
    expect(count(HOBBY_TEAM_ID)).toEqual({ workflows: 4, executions: 12 });
    expect(state.db.workflows.count()).toBe(34);
  });

  it('builds every workflow with exactly one trigger, unique node ids, edges between its nodes and no cycles', async () => {
    for (const seed of [undefined, 7, 99]) {
      const { state } = await seeded(seed);
      for (const workflow of state.db.workflows.all()) {
        const triggers = workflow.nodes.filter((n) => n.type.endsWith('_TRIGGER'));
        expect(triggers, workflow.name).toHaveLength(1);
        expect(Object.keys(TRIGGER_FOR)).toContain(triggers[0]!.type);
        const index = new Map(workflow.nodes.map((n, i) => [n.id, i]));
        expect(index.size).toBe(workflow.nodes.length);
        for (const node of workflow.nodes) expect(node.id).toMatch(/^node_[a-z]+_\d+$/);
        for (const edge of workflow.edges) {
          expect(index.get(edge.source)!, `${workflow.name} ${edge.id}`).toBeLessThan(index.get(edge.target)!);
          const from = workflow.nodes[index.get(edge.source)!]!;
          const to = workflow.nodes[index.get(edge.target)!]!;
          expect(to.position.x).toBeGreaterThan(from.position.x);
          if (from.type === 'IF_ELSE') expect(['true', 'false']).toContain(edge.sourceHandle);
        }
        expect(topologicalOrder(workflow.nodes, workflow.edges).blocked).toEqual([]);
        // Every node but the trigger is reached by an edge.
        const targets = new Set(workflow.edges.map((e) => e.target));
        expect(workflow.nodes.filter((n) => !targets.has(n.id))).toEqual(triggers);
      }
    }
  });

  it('dates workflows before the epoch with a mix of active states and versions', async () => {
    const { state } = await seeded();
    const workflows = state.db.workflows.all();
    for (const w of workflows) {
      expect(Date.parse(w.createdAt)).toBeLessThanOrEqual(Date.parse(w.updatedAt));
      expect(Date.parse(w.updatedAt)).toBeLessThan(EPOCH);
      expect(w.version).toBeGreaterThanOrEqual(1);
      expect(w.name.length).toBeGreaterThan(5);
    }
    const active = workflows.filter((w) => w.active).length;
    expect(active).toBeGreaterThan(5);
    expect(active).toBeLessThan(workflows.length);
    expect(new Set(workflows.map((w) => w.version)).size).toBeGreaterThan(2);
    expect(new Set(workflows.filter((w) => w.teamId === ACME_TEAM_ID).map((w) => w.name)).size).toBe(30);
  });

  it('spreads executions over the 30 days before the epoch, oldest first, with a realistic status mix', async () => {
    const { state } = await seeded();
    const executions = state.db.executions.all();
    const created = executions.map((e) => e.createdAt);
    expect(created).toEqual([...created].sort());
    for (const e of executions) {
      expect(Date.parse(e.createdAt)).toBeGreaterThanOrEqual(EPOCH - 30 * DAY);
      expect(Date.parse(e.createdAt)).toBeLessThanOrEqual(EPOCH);
    }
    const acme = executions.filter((e) => e.teamId === ACME_TEAM_ID);
    const share = (status: string) => acme.filter((e) => statusAt(e, EPOCH) === status).length / acme.length;
    expect(share('SUCCESS')).toBeGreaterThan(0.75);
    expect(share('SUCCESS')).toBeLessThan(0.85);
    expect(share('FAILED')).toBeGreaterThan(0.1);
    expect(share('FAILED')).toBeLessThan(0.16);
    expect(share('CANCELLED')).toBeGreaterThan(0.03);
    expect(share('CANCELLED')).toBeLessThan(0.08);
    expect(acme.filter((e) => statusAt(e, EPOCH) === 'RUNNING')).toHaveLength(2);
    expect(acme.filter((e) => statusAt(e, EPOCH) === 'PENDING')).toHaveLength(1);
    // In-flight runs finish within a minute of the epoch.
    expect(acme.filter((e) => statusAt(e, EPOCH + 60_000) === 'RUNNING' || statusAt(e, EPOCH + 60_000) === 'PENDING')).toHaveLength(0);
  });

  it('plans failed runs with one failing node, skipped nodes after it and a matching error', async () => {
    const { state } = await seeded();
    const failed = state.db.executions.filter((e) => e.outcome === 'FAILED' && e.cancelledAt === null);
    expect(failed.length).toBeGreaterThan(20);
    for (const e of failed) {
      const at = e.nodes.findIndex((n) => n.outcome === 'FAILED');
      expect(e.nodes.filter((n) => n.outcome === 'FAILED')).toHaveLength(1);
      expect(e.nodes[at]!.errorMessage).toBe(e.errorMessage);
      expect(e.nodes.slice(at + 1).every((n) => n.outcome === 'SKIPPED')).toBe(true);
      expect(e.outputData).toBeNull();
      expect(e.durationMs).toBe(e.nodes[at]!.offsetMs + e.nodes[at]!.durationMs);
    }
    for (const e of state.db.executions.filter((x) => x.outcome === 'SUCCESS')) {
      expect(e.errorMessage).toBeNull();
      expect(e.durationMs).toBe(e.nodes.reduce((sum, n) => sum + n.durationMs, 0));
    }
  });

  it('links executions to their workflow, version and trigger, and points lastExecutionId at the newest run', async () => {
    const { state } = await seeded();
    let matching = 0;
    for (const e of state.db.executions.all()) {
      const workflow = state.db.workflows.get(e.workflowId)!;
      expect(e).toMatchObject({ teamId: workflow.teamId, workflowName: workflow.name });
      expect(e.workflowVersion).toBeLessThanOrEqual(workflow.version);
      expect(e.nodes.map((n) => n.nodeId).sort()).toEqual(workflow.nodes.map((n) => n.id).sort());
      expect(Date.parse(e.createdAt)).toBeGreaterThan(Date.parse(workflow.createdAt));
      const trigger = workflow.nodes.find((n) => n.type.endsWith('_TRIGGER'))!;
      if (TRIGGER_FOR[trigger.type] === e.triggerType) matching++;
    }
    expect(matching / state.db.executions.count()).toBeGreaterThan(0.75);
    for (const w of state.db.workflows.all()) {
      const runs = state.db.executions.filter((e) => e.workflowId === w.id);
      expect(w.lastExecutionId).toBe(runs.length === 0 ? null : runs[runs.length - 1]!.id);
    }
    expect(state.db.workflows.filter((w) => w.lastExecutionId === null).length).toBeLessThan(10);
  });

  it.each([undefined, 1, 3, 7])('has nothing made before its team or workflow existed, nor by a user before they joined (seed %s)', async (seed) => {
    expect(recordsBeforeTheirTime((await seeded(seed)).state.db)).toEqual([]);
  });

  it('answers byte-identical workflow lists and details from two sandboxes with the same seed', async () => {
    const [a, b] = [await seeded(), await seeded()];
    for (const path of [`/api/workflows?teamId=${ACME_TEAM_ID}`, `/api/workflows?teamId=${ACME_TEAM_ID}&page=1&size=7`, '/api/workflows?size=100']) {
      const [left, right] = [await call(a, 'GET', path, { token: 'sdk_sandbox_admin' }), await call(b, 'GET', path, { token: 'sdk_sandbox_admin' })];
      expect(left.status).toBe(200);
      expect(left.text).toBe(right.text);
    }
    const id = a.state.db.workflows.all()[3]!.id;
    const detail = async (s: Sandbox) => (await call(s, 'GET', `/api/workflows/${id}`, { token: 'sdk_sandbox_viewer' })).text;
    expect(await detail(a)).toBe(await detail(b));
    expect(JSON.stringify(a.state.db.executions.all())).toBe(JSON.stringify(b.state.db.executions.all()));
  });

  it('builds the same data again after reset', async () => {
    const sandbox = await seeded();
    const before = JSON.stringify([sandbox.state.db.workflows.all(), sandbox.state.db.executions.all()]);
    await call(sandbox, 'POST', '/api/workflows', { token: 'sdk_sandbox_admin', body: { name: 'Gone after reset' } });
    await sandbox.reset();
    expect(JSON.stringify([sandbox.state.db.workflows.all(), sandbox.state.db.executions.all()])).toBe(before);
  });

  it('answers different data for a different seed but the same fixed identities', async () => {
    const [a, b] = [await seeded(), await seeded(4242)];
    const list = async (s: Sandbox) => (await call(s, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`, { token: 'sdk_sandbox_admin' })).json;
    const [left, right] = [await list(a), await list(b)];
    expect(left.totalElements).toBe(right.totalElements);
    expect(left.content.map((w: any) => w.id)).not.toEqual(right.content.map((w: any) => w.id));
    expect(left.content.map((w: any) => w.name)).not.toEqual(right.content.map((w: any) => w.name));
    expect(JSON.stringify(a.state.db.executions.all())).not.toBe(JSON.stringify(b.state.db.executions.all()));
    for (const s of [a, b]) {
      for (const team of FIXED_TEAMS) expect(s.state.db.teams.get(team.id)).toMatchObject(team);
      for (const user of FIXED_USERS) expect(s.state.db.users.get(user.id)).toMatchObject({ email: user.email, firstName: user.firstName });
      for (const token of FIXED_TOKENS) expect((await call(s, 'GET', '/api/auth/me', { token: token.token })).status).toBe(200);
    }
    const me = async (s: Sandbox) => (await call(s, 'GET', '/api/auth/me', { cookie: await login(s, 'admin@acme.test') })).text;
    expect(await me(a)).toBe(await me(b));
  });
});

describe('the process-wide copy of a seeded data set (src/namespace.ts)', () => {
  it('is shared by sandboxes of the same seed and start until forgotten; then the next one generates it again, and the earlier ones keep theirs', async () => {
    const seed = 424_242; // a seed no other test uses: its data set is generated here
    const first = testSandbox({ seed });
    await first.ready;
    const second = testSandbox({ seed });
    await second.ready;
    const record = first.state.db.workflows.all().find((w) => w.teamId === ACME_TEAM_ID)!;
    expect(second.state.db.workflows.get(record.id)).toBe(record); // the same frozen object

    expect(forgetSeededRecords('default')).toBeGreaterThanOrEqual(1);
    const third = testSandbox({ seed });
    await third.ready;
    const regenerated = third.state.db.workflows.get(record.id)!;
    expect(regenerated).not.toBe(record);
    expect(regenerated).toEqual(record);
    // The earlier sandboxes still answer from the records they hold.
    expect(first.state.db.workflows.get(record.id)).toBe(record);
    const listed = await call(first, 'GET', `/api/workflows/${record.id}`, { token: 'sdk_sandbox_admin' });
    expect(listed.status).toBe(200);
    expect(listed.json).toMatchObject({ id: record.id, name: record.name });
  });
});
