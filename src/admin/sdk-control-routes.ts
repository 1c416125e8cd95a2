import { z } from 'zod';
import { ACME_TEAM_ID } from '../../fixtures/identities.ts';
import { HttpError } from '../core/http-error.ts';
import { json } from '../core/respond.ts';
import type { Namespace } from '../namespace.ts';
import { agentControlPayload, haltAgent, haltTeam, resumeAgent, resumeTeam, teamControlPayload } from '../resources/sdk/control.ts';
import { formDecodedParam } from '../resources/sdk/path-name.ts';
import type { SandboxState } from '../state.ts';
import type { AdminRoute } from './admin-routes.ts';

/**
 * Control-plane mirrors of the SDK halt management (nodeloom-api.md 3.11.2 "for a sandbox, also
 * expose them under a clearly separate test namespace"), so a test halts an agent in one call
 * without a session or an ADMIN token: `POST /__sandbox/agents/:agentName/halt` `{reason, teamId?}`,
 * `.../resume` `{teamId?}`, `POST /__sandbox/team/halt` `{reason, teamId?}` and `.../resume`.
 * The team defaults to Acme Robotics. They act on the namespace's current data set exactly as the
 * dashboard routes do (the revision goes up, the SDKs' next poll or batch sees it), without an
 * audit entry (the control plane is test tooling, not a NodeLoom user). Answers carry the control
 * payload the SDKs now get.
 */

const AGENT_HALT = '/__sandbox/agents/:agentName/halt';
const AGENT_RESUME = '/__sandbox/agents/:agentName/resume';

const haltBody = z
  .object({
    reason: z.string({ error: 'reason must be a string (the SDKs see it as halt_reason).' }).max(1000).optional(),
    teamId: z.string({ error: 'teamId must be a team id (default: Acme Robotics).' }).min(1).optional(),
  })
  .strict()
  .optional();
const resumeBody = z.object({ teamId: z.string({ error: 'teamId must be a team id (default: Acme Robotics).' }).min(1).optional() }).strict().optional();

/** The namespace's current data set and the team the body names (default Acme). @throws HttpError 404 for an unknown team */
async function target(ns: Namespace, body: unknown): Promise<{ state: SandboxState; teamId: string }> {
  const state = await ns.state();
  const teamId = (body as { teamId?: string } | undefined)?.teamId ?? ACME_TEAM_ID;
  if (!state.db.teams.get(teamId)) throw new HttpError(404, `Team ${teamId} not found in this namespace (GET /__sandbox/identities lists the teams).`);
  return { state, teamId };
}

/** The routes, mounted by admin-routes.ts. */
export const sdkControlRoutes: AdminRoute[] = [
  {
    method: 'POST',
    path: AGENT_HALT,
    description: 'Halts one SDK agent of a team, as the ADMIN route does but without an audit entry. Body {reason?, teamId?} (default Acme).',
    body: haltBody,
    async handler({ ns, url, body }) {
      const { state, teamId } = await target(ns, body);
      const agentName = formDecodedParam(url.pathname, AGENT_HALT, 'agentName');
      await haltAgent(state, teamId, agentName, (body as { reason?: string } | undefined)?.reason ?? null);
      return json({ teamId, agentName, control: agentControlPayload(state, teamId, agentName) });
    },
  },
  {
    method: 'POST',
    path: AGENT_RESUME,
    description: 'Resumes a halted SDK agent, without an audit entry. Body {teamId?} (default Acme).',
    body: resumeBody,
    async handler({ ns, url, body }) {
      const { state, teamId } = await target(ns, body);
      const agentName = formDecodedParam(url.pathname, AGENT_RESUME, 'agentName');
      await resumeAgent(state, teamId, agentName);
      return json({ teamId, agentName, control: agentControlPayload(state, teamId, agentName) });
    },
  },
  {
    method: 'POST',
    path: '/__sandbox/team/halt',
    description: 'Halts every SDK agent of a team, without an audit entry. Body {reason?, teamId?} (default Acme).',
    body: haltBody,
    async handler({ ns, body }) {
      const { state, teamId } = await target(ns, body);
      await haltTeam(state, teamId, (body as { reason?: string } | undefined)?.reason ?? null);
      return json({ teamId, control: teamControlPayload(state, teamId) });
    },
  },
  {
    method: 'POST',
    path: '/__sandbox/team/resume',
    description: 'Resumes every SDK agent of a team, without an audit entry. Body {teamId?} (default Acme).',
    body: resumeBody,
    async handler({ ns, body }) {
      const { state, teamId } = await target(ns, body);
      await resumeTeam(state, teamId);
      return json({ teamId, control: teamControlPayload(state, teamId) });
    },
  },
];
