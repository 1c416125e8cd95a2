import { HttpError } from '../core/http-error.ts';
import { json } from '../core/respond.ts';
import { replaceRulesBody, replaceTeamRules, ruleRecords, teamRules, type CustomRuleInput } from '../resources/guardrails/custom-rules.ts';
import type { SandboxState } from '../state.ts';
import type { AdminRoute } from './admin-routes.ts';

/**
 * Control routes for the guardrails' custom rules (nodeloom-api.md 3.8 `applyCustomRules`; the real
 * product configures them in its UI): read a team's rules, or replace them all. They act on the
 * namespace's current data set; a reset brings back the seeded rules.
 */

function teamOf(state: SandboxState, teamId: string | null): string {
  if (!teamId) throw new HttpError(400, 'teamId is required, e.g. ?teamId=0a1c3e00-0000-4000-8000-00000000ac01 (GET /__sandbox/identities lists the teams).');
  if (!state.db.teams.get(teamId)) {
    const known = state.db.teams.all().map((t) => `${t.id} (${t.name})`).join(', ');
    throw new HttpError(404, `No team ${teamId}. Known teams: ${known}.`);
  }
  return teamId;
}

/** `GET /__sandbox/guardrails/rules?teamId=` and `PUT /__sandbox/guardrails/rules` `{teamId, rules}`. */
export const guardrailRuleAdminRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/__sandbox/guardrails/rules',
    description: "A team's custom guardrail rules: ?teamId= (required).",
    async handler({ ns, url }) {
      const state = await ns.state();
      const teamId = teamOf(state, url.searchParams.get('teamId'));
      return json({ teamId, rules: teamRules(state, teamId) });
    },
  },
  {
    method: 'PUT',
    path: '/__sandbox/guardrails/rules',
    description: "Replaces a team's custom guardrail rules. Body {teamId, rules: [{name, type: REGEX|KEYWORD, pattern|keywords, ...}]}.",
    body: replaceRulesBody,
    async handler({ ns, body }) {
      const { teamId: named, rules } = body as { teamId: string; rules: CustomRuleInput[] };
      const state = await ns.state();
      const teamId = teamOf(state, named);
      const records = ruleRecords(state, teamId, rules); // every rule checked before anything changes
      await replaceTeamRules(state, teamId, records);
      return json({ teamId, rules: teamRules(state, teamId) });
    },
  },
];
