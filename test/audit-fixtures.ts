import { ACME_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { call, login } from './helpers.ts';

/** The audit routes' base path for a team. */
export const auditPath = (teamId = ACME_TEAM_ID) => `/api/audit/team/${teamId}`;

/** The Acme admin's SDK token. */
export const ADMIN = 'sdk_sandbox_admin';

/**
 * Makes a seeded Acme member (a VIEWER) a COMPLIANCE_OFFICER and logs them in.
 * @returns the session cookie and the user's id
 */
export async function complianceOfficer(sandbox: Sandbox): Promise<{ cookie: string; userId: string }> {
  await sandbox.ready;
  const { db } = sandbox.state;
  const membership = db.memberships.all().find((m) => m.teamId === ACME_TEAM_ID && m.role === 'VIEWER' && !m.userId.startsWith('00000000'))!;
  await db.memberships.update(membership.id, { role: 'COMPLIANCE_OFFICER' });
  const email = db.users.get(membership.userId)!.email;
  return { cookie: await login(sandbox, email), userId: membership.userId };
}

/** A team's entries in chain order, straight from the table (for assertions). */
export const entriesOf = (sandbox: Sandbox, teamId = ACME_TEAM_ID) => sandbox.state.db.auditLogs.filter((entry) => entry.teamId === teamId);

/** `GET .../verify` as the team's admin token. */
export const verify = (sandbox: Sandbox, teamId = ACME_TEAM_ID, token = ADMIN) => call(sandbox, 'GET', `${auditPath(teamId)}/verify`, { token });
