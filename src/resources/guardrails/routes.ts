import { json } from '../../core/respond.ts';
import type { AnyRoute } from '../../core/route.ts';
import { defineRoute } from '../define-route.ts';
import { checkBody, checkQuery, checkResponseView } from './schema.ts';
import { checkGuardrails } from './service.ts';

/**
 * `POST /api/guardrails/check` (nodeloom-api.md 3.8, D-GR): any team member (VIEWER and up, and
 * COMPLIANCE_OFFICER) checks a text. `?teamId=` names the team; an SDK token may omit it (the
 * token's team is used) and a cookie session without it gets 400 (1.8, COMMIT). 200 with
 * `{passed, violations, redactedContent, checks, guardrailSessionId}`; 400 for a missing `text`, a
 * `text` over 100,000 characters or a malformed option.
 */
export const guardrailRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/api/guardrails/check',
    response: { body: checkResponseView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'guardrails:check',
    team: { from: 'query' },
    query: checkQuery,
    body: checkBody,
    audit: { none: 'a check changes nothing; it is recorded for monitoring' },
    spec: { section: '3.8' },
    async handler({ state, team, principal, body }) {
      const { response } = await checkGuardrails(state, team.id, principal, body);
      return json(response);
    },
  }),
];
