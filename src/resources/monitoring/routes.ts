import { z } from 'zod';
import { HttpError } from '../../core/http-error.ts';
import { toPage } from '../../core/paginate.ts';
import { actingUser } from '../../core/principal.ts';
import { json, noContent } from '../../core/respond.ts';
import type { AnyRoute } from '../../core/route.ts';
import { defineRoute } from '../define-route.ts';
import { acknowledgeAlerts, acknowledgeBody, anomalyQuery, driftQuery, listAnomalies, listDriftAlerts } from './alerts.ts';
import { configPatch, monitoringConfig, updateMonitoringConfig } from './config.ts';
import { rateLimitView } from './rate-limits.ts';
import { createReport, createReportBody, findReport, toReportView, updateReport, updateReportBody } from './reports.ts';
import { sentimentSummary } from './sentiment-summary.ts';
import { MAX_DAILY_DAYS, tokenUsageByModel, tokenUsageDaily, tokenUsageTotals } from './token-usage.ts';
import {
  acknowledgeResultView,
  anomalyPageView,
  driftAlertPageView,
  monitoringConfigView,
  rateLimitsView,
  scheduledReportView,
  sentimentSummaryView,
  tokenUsageByModelView,
  tokenUsageDailyView,
  tokenUsageTotalsView,
} from './views.ts';
import { resolveWindow, windowQueryFields } from './window.ts';

/**
 * The monitoring routes (nodeloom-api.md 3.7), all computed from what is in the sandbox: reads for
 * any team member (VIEWER, `monitoring:view`; D-MON "available to team members"), config changes,
 * acknowledgements and reports for BUILDER (`monitoring:manage`, 2.4 [INF]), the admin rate-limit
 * view for ADMIN (`team:admin`). The team comes from the `:teamId` path segment.
 */

const BASE = '/api/monitoring/teams/:teamId';
const read = { auth: 'session-or-token', rateLimit: 'principal', permission: 'monitoring:view', team: { from: 'path', param: 'teamId' } } as const;
const manage = { auth: 'session-or-token', rateLimit: 'principal', permission: 'monitoring:manage', team: { from: 'path', param: 'teamId' } } as const;
const windowQuery = z.object(windowQueryFields());
const spec = (inferred: boolean) => ({ section: '3.7', inferred });

/** The routes. */
export const monitoringRoutes: AnyRoute[] = [
  defineRoute({ ...read, method: 'GET', path: `${BASE}/config`, response: { body: monitoringConfigView }, spec: spec(false), handler: ({ state, team }) => json(monitoringConfig(state, team.id)) }),
  defineRoute({
    ...manage,
    method: 'PUT',
    path: `${BASE}/config`,
    response: { body: monitoringConfigView },
    body: configPatch,
    audit: { action: 'MONITORING_CONFIG_UPDATED', resourceType: 'MONITORING' },
    spec: spec(false),
    async handler({ state, team, body, audit }) {
      audit.details = { fields: Object.keys(body) };
      return json(await updateMonitoringConfig(state, team.id, body));
    },
  }),
  defineRoute({
    ...read,
    method: 'GET',
    path: `${BASE}/token-usage`,
    response: { body: tokenUsageTotalsView },
    query: windowQuery,
    spec: spec(false),
    handler: ({ state, team, query }) => json(tokenUsageTotals(state, team.id, resolveWindow(query, state.clock.now()))),
  }),
  defineRoute({
    ...read,
    method: 'GET',
    path: `${BASE}/token-usage/daily`,
    response: { body: tokenUsageDailyView },
    query: windowQuery,
    spec: spec(false),
    handler({ state, team, query }) {
      const window = resolveWindow(query, state.clock.now());
      if (window.to - window.from > MAX_DAILY_DAYS * 86_400_000) throw new HttpError(400, `The daily view covers at most ${MAX_DAILY_DAYS} days; narrow 'from'/'to'.`);
      return json(tokenUsageDaily(state, team.id, window));
    },
  }),
  defineRoute({
    ...read,
    method: 'GET',
    path: `${BASE}/token-usage/by-model`,
    response: { body: tokenUsageByModelView },
    query: windowQuery,
    spec: spec(false),
    handler: ({ state, team, query }) => json(tokenUsageByModel(state, team.id, resolveWindow(query, state.clock.now()))),
  }),
  defineRoute({
    ...read,
    method: 'GET',
    path: `${BASE}/anomalies`,
    response: { body: anomalyPageView },
    query: anomalyQuery,
    spec: spec(true),
    handler: ({ state, team, query }) => json(toPage(listAnomalies(state, team.id, query), query.page, query.size, (a) => a)),
  }),
  defineRoute({
    ...read,
    method: 'GET',
    path: `${BASE}/drift-alerts`,
    response: { body: driftAlertPageView },
    query: driftQuery,
    spec: spec(true),
    handler: ({ state, team, query }) => json(toPage(listDriftAlerts(state, team.id, query), query.page, query.size, (d) => d)),
  }),
  defineRoute({
    ...manage,
    method: 'POST',
    path: `${BASE}/alerts/bulk-acknowledge`,
    response: { body: acknowledgeResultView },
    body: acknowledgeBody,
    audit: { action: 'ALERTS_ACKNOWLEDGED', resourceType: 'MONITORING' },
    spec: spec(true),
    async handler({ state, team, body, principal, audit }) {
      const { result, ids } = await acknowledgeAlerts(state, team.id, body, actingUser(principal)?.id ?? null);
      audit.details = { alertIds: ids, alertType: body.alertType ?? null };
      if (ids.length === 0) audit.skip = true; // nothing changed
      return json(result);
    },
  }),
  defineRoute({
    ...read,
    method: 'GET',
    path: `${BASE}/sentiment`,
    response: { body: sentimentSummaryView },
    query: windowQuery,
    spec: spec(true),
    handler: ({ state, team, query }) => json(sentimentSummary(state, team.id, resolveWindow(query, state.clock.now()))),
  }),
  defineRoute({
    ...read,
    method: 'GET',
    path: `${BASE}/reports`,
    response: { body: z.array(scheduledReportView) },
    spec: spec(true),
    handler({ state, team }) {
      const now = state.clock.now();
      return json(state.db.scheduledReports.filter((r) => r.teamId === team.id).map((r) => toReportView(r, now)));
    },
  }),
  defineRoute({
    ...manage,
    method: 'POST',
    path: `${BASE}/reports`,
    response: { body: scheduledReportView },
    body: createReportBody,
    audit: { action: 'REPORT_CREATED', resourceType: 'REPORT' },
    spec: spec(true),
    async handler({ state, team, body, principal, audit }) {
      const report = await createReport(state, team.id, body, actingUser(principal)?.id ?? null);
      audit.resourceId = report.id;
      audit.details = { name: report.name, frequency: report.frequency };
      return json(toReportView(report, state.clock.now()), 201);
    },
  }),
  defineRoute({
    ...manage,
    method: 'PUT',
    path: `${BASE}/reports/:id`,
    response: { body: scheduledReportView },
    body: updateReportBody,
    audit: { action: 'REPORT_UPDATED', resourceType: 'REPORT' },
    spec: spec(true),
    async handler({ state, team, params, body, audit }) {
      const report = await updateReport(state, findReport(state, team.id, params.id!), body);
      audit.details = { name: report.name, fields: Object.keys(body) };
      return json(toReportView(report, state.clock.now()));
    },
  }),
  defineRoute({
    ...manage,
    method: 'DELETE',
    path: `${BASE}/reports/:id`,
    audit: { action: 'REPORT_DELETED', resourceType: 'REPORT' },
    spec: spec(true),
    async handler({ state, team, params, audit }) {
      const report = findReport(state, team.id, params.id!);
      await state.db.scheduledReports.delete(report.id);
      audit.details = { name: report.name };
      return noContent();
    },
  }),
  /**
   * `GET /api/monitoring/admin/rate-limits?teamId=` ([INF] 3.7 #11): every team's current window
   * against its plan. The sandbox has no platform admins: an ADMIN of the named team (a token:
   * of its own team) may read it.
   */
  defineRoute({
    method: 'GET',
    path: '/api/monitoring/admin/rate-limits',
    response: { body: rateLimitsView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'team:admin',
    team: { from: 'query' },
    query: z.object({ teamId: z.string().optional() }),
    spec: spec(true),
    handler: ({ state }) => json(rateLimitView(state)),
  }),
];
