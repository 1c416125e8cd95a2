import { beforeAll, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, FIXED_USERS, HOBBY_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { createEntityFaker } from '../fixtures/entity-faker.ts';
import { AUDIT_HISTORY_DAYS, AUDIT_SEED_CAP, seedAuditHistory } from '../fixtures/seed-audit.ts';
import { isoAt } from '../fixtures/seed-context.ts';
import { seedIdentities } from '../fixtures/seed-identities.ts';
import { buildLargeRecords } from '../fixtures/seed-large.ts';
import { createSeedSinks } from '../src/database.ts';
import { verifyChain } from '../src/resources/audit/chain.ts';
import { entriesOf, verify } from './audit-fixtures.ts';
import { testSandbox, TEST_NOW } from './helpers.ts';

const EPOCH = Date.parse(TEST_NOW);
const DAY = 86_400_000;
const WINDOW_START = isoAt(EPOCH - AUDIT_HISTORY_DAYS * DAY);
const inWindow = (iso: string | null) => iso !== null && iso >= WINDOW_START && iso <= TEST_NOW;

describe('the seeded audit history', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = testSandbox();
    await sandbox.ready;
  });

  it('gives each seeded team 30 days of entries in time order whose chain verifies', async () => {
    for (const [teamId, token] of [[ACME_TEAM_ID, 'sdk_sandbox_admin'], [HOBBY_TEAM_ID, 'sdk_sandbox_hobby']] as const) {
      const entries = entriesOf(sandbox, teamId);
      expect(entries.length).toBeGreaterThan(10);
      const times = entries.map((e) => e.createdAt);
      expect([...times].sort()).toEqual(times);
      expect(times[0]! >= WINDOW_START && times.at(-1)! <= TEST_NOW).toBe(true);
      expect((await verify(sandbox, teamId, token)).json).toMatchObject({ valid: true, entriesVerified: entries.length });
    }
    const ids = sandbox.state.db.auditLogs.all().map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('records the workflows created in the window by their authors', () => {
    const created = sandbox.state.db.workflows.filter((w) => inWindow(w.createdAt));
    expect(created.length).toBeGreaterThan(0);
    const entries = sandbox.state.db.auditLogs.filter((e) => e.action === 'WORKFLOW_CREATED');
    expect(entries.map((e) => [e.resourceId, e.userId, e.createdAt, e.details.workflowName]).sort()).toEqual(
      created.map((w) => [w.id, w.createdBy, w.createdAt, w.name]).sort(),
    );
  });

  it('records every execution a person started in the window, and no scheduled or webhook run', () => {
    const started = sandbox.state.db.executions.filter((e) => inWindow(e.createdAt) && (e.triggerType === 'MANUAL' || e.triggerType === 'API'));
    const entries = sandbox.state.db.auditLogs.filter((e) => e.action === 'WORKFLOW_EXECUTED');
    expect(entries.map((e) => e.details.executionId).sort()).toEqual(started.map((e) => e.id).sort());
    for (const entry of entries) {
      const execution = sandbox.state.db.executions.get(entry.details.executionId as string)!;
      expect(entry).toMatchObject({ teamId: execution.teamId, resourceType: 'WORKFLOW', resourceId: execution.workflowId, createdAt: execution.createdAt });
      expect(entry.userName).toEqual(expect.any(String));
    }
  });

  it('has no member act before they joined', () => {
    const { memberships, auditLogs } = sandbox.state.db;
    const early = auditLogs.all().filter((entry) => {
      const membership = memberships.filter((m) => m.teamId === entry.teamId && m.userId === entry.userId)[0];
      return membership !== undefined && membership.joinedAt > entry.createdAt;
    });
    expect(early.map((e) => [e.action, e.userName, e.createdAt])).toEqual([]);
  });

  it('records the members who joined in the window (two seeded Acme members with this seed, at least two with any), added by the admin', () => {
    const { memberships, users, auditLogs } = sandbox.state.db;
    const joined = memberships.filter((m) => inWindow(m.joinedAt));
    expect(joined.map((m) => m.teamId)).toEqual([ACME_TEAM_ID, ACME_TEAM_ID]);
    const admin = FIXED_USERS.find((u) => u.email === 'admin@acme.test')!;
    const added = auditLogs.filter((e) => e.action === 'MEMBER_ADDED');
    expect(added.map((e) => [e.teamId, e.resourceType, e.resourceId, e.userId, e.createdAt, e.details]).sort()).toEqual(
      joined.map((m) => [m.teamId, 'MEMBER', m.userId, admin.id, m.joinedAt, { email: users.get(m.userId)!.email, role: m.role }]).sort(),
    );
  });

  it('records credentials created and tested in the window', () => {
    const { credentials, auditLogs } = sandbox.state.db;
    expect(auditLogs.filter((e) => e.action === 'CREDENTIAL_CREATED').map((e) => e.resourceId).sort()).toEqual(
      credentials.filter((c) => inWindow(c.createdAt)).map((c) => c.id).sort(),
    );
    expect(auditLogs.filter((e) => e.action === 'CREDENTIAL_TESTED').map((e) => e.resourceId).sort()).toEqual(
      credentials.filter((c) => inWindow(c.lastTestedAt)).map((c) => c.id).sort(),
    );
  });

  it('records logins of the fixed users only, at most one a day each, from one address per user', () => {
    const logins = sandbox.state.db.auditLogs.filter((e) => e.action === 'USER_LOGIN');
    expect(logins.length).toBeGreaterThan(20);
    const fixed = new Map(FIXED_USERS.map((u) => [u.id, u]));
    const days = new Set<string>();
    const addresses = new Map<string, string>();
    for (const login of logins) {
      const user = fixed.get(login.userId!)!;
      expect(login).toMatchObject({ teamId: user.teamId, resourceType: 'USER', resourceId: user.id, userName: `${user.firstName} ${user.lastName}`, details: { email: user.email } });
      const day = `${login.userId}:${login.createdAt.slice(0, 10)}`;
      expect(days.has(day)).toBe(false);
      days.add(day);
      expect(addresses.get(login.userId!) ?? login.ipAddress).toBe(login.ipAddress);
      addresses.set(login.userId!, login.ipAddress);
    }
    expect(new Set(logins.map((e) => e.userId)).size).toBe(FIXED_USERS.length);
  });

  it('is the same for the same seed and differs for another seed', async () => {
    const again = testSandbox();
    const other = testSandbox({ seed: 7 });
    await Promise.all([again.ready, other.ready]);
    expect(again.state.db.auditLogs.all()).toEqual(sandbox.state.db.auditLogs.all());
    const otherIds = new Set(other.state.db.auditLogs.all().map((e) => e.id));
    expect(sandbox.state.db.auditLogs.all().some((e) => otherIds.has(e.id))).toBe(false);
    expect(verifyChain(other.state.db.auditLogs.filter((e) => e.teamId === ACME_TEAM_ID)).valid).toBe(true);
  });

  it('seeds no history in the empty data set', async () => {
    const empty = testSandbox({ scenarios: ['empty'] });
    await empty.ready;
    expect(empty.state.db.auditLogs.count()).toBe(0);
  });
});

describe('seedAuditHistory', () => {
  it('records members who joined in the window and caps each action at 200 entries, sampled over time', async () => {
    const db = createSeedSinks();
    const context = { db, seed: 1, epoch: EPOCH, faker: createEntityFaker(1) };
    await seedIdentities(context);
    const viewer = db.users.all().find((u) => !u.id.startsWith('00000000'))!;
    await db.memberships.insert({ id: 'joined-recently', teamId: HOBBY_TEAM_ID, userId: viewer.id, role: 'VIEWER', joinedAt: isoAt(EPOCH - 3 * DAY) });
    const { workflows, executions } = await buildLargeRecords(context, { workflows: 5, executions: 6_000 });
    for (const workflow of workflows) await db.workflows.insert(workflow);
    for (const execution of executions) await db.executions.insert(execution);
    await seedAuditHistory(context);

    const entries = db.auditLogs.all();
    const added = entries.filter((e) => e.action === 'MEMBER_ADDED' && e.teamId === HOBBY_TEAM_ID);
    expect(added).toEqual([
      expect.objectContaining({ teamId: HOBBY_TEAM_ID, resourceType: 'MEMBER', resourceId: viewer.id, userName: 'Holly Owner', details: { email: viewer.email, role: 'VIEWER' } }),
    ]);
    const started = executions.filter((e) => inWindow(e.createdAt) && (e.triggerType === 'MANUAL' || e.triggerType === 'API'));
    expect(started.length).toBeGreaterThan(AUDIT_SEED_CAP);
    const executed = entries.filter((e) => e.action === 'WORKFLOW_EXECUTED');
    expect(executed).toHaveLength(AUDIT_SEED_CAP);
    expect(executed[0]!.createdAt < isoAt(EPOCH - 25 * DAY) && executed.at(-1)!.createdAt > isoAt(EPOCH - 5 * DAY)).toBe(true);
    for (const teamId of [ACME_TEAM_ID, HOBBY_TEAM_ID]) expect(verifyChain(entries.filter((e) => e.teamId === teamId)).valid).toBe(true);
  });
});
