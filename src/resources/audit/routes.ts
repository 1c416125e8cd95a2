import { z } from 'zod';
import { actingUser } from '../../core/principal.ts';
import { json } from '../../core/respond.ts';
import type { AnyRoute } from '../../core/route.ts';
import { defineRoute } from '../define-route.ts';
import { rebuildChain } from './chain-repair.ts';
import { listAudit, verifyTeamChain } from './log.ts';
import { reportPdf } from './report-pdf.ts';
import { assertCompleted, createReport, listReports, loadReport, reportContent, reportFileName, toReport } from './reports.ts';
import { createReportBody, downloadQuery, listAuditQuery, reportParams, retentionBody, siemBody } from './schema.ts';
import { auditLogPageView, auditReportView, rebuildChainView, retentionView, siemTestView, siemView, verificationView } from './views.ts';
import { getRetention, getSiem, saveSiem, setRetention, testSiem } from './settings.ts';

/**
 * The audit routes (nodeloom-api.md 3.10), all under `/api/audit/team/:teamId`: reads need
 * `audit:view` (ADMIN and COMPLIANCE_OFFICER, 2.1), writes `team:admin` (ADMIN). Every write is
 * recorded by the pipeline through its declared action; nothing here appends entries itself.
 * Errors: 401 without credentials, 403 another team or too low a role, 400 bad filters or bodies,
 * 404 an unknown report, 409 a PENDING report's download or a SIEM test before any destination.
 */

const team = { from: 'path', param: 'teamId' } as const;
const base = '/api/audit/team/:teamId';

/** Every audit route. */
export const auditRoutes: AnyRoute[] = [
  // 3.10 #1: Page of AuditLog, newest first, size 50 by default.
  defineRoute({
    method: 'GET',
    path: base,
    response: { body: auditLogPageView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'audit:view',
    team,
    query: listAuditQuery,
    spec: { section: '3.10' },
    handler: ({ state, team, query }) => json(listAudit(state, team.id, query)),
  }),
  // 3.10 #2: 200 whether the chain is intact or not.
  defineRoute({
    method: 'GET',
    path: `${base}/verify`,
    response: { body: verificationView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'audit:view',
    team,
    spec: { section: '3.10' },
    handler: ({ state, team }) => json(verifyTeamChain(state, team.id, state.clock.iso())),
  }),
  // 3.10 #3: a plain array of reports, newest first.
  defineRoute({
    method: 'GET',
    path: `${base}/reports`,
    response: { body: z.array(auditReportView) },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'audit:view',
    team,
    spec: { section: '3.10' },
    handler: ({ state, team }) => json(listReports(state, team.id, state.clock.now())),
  }),
  // 3.10 #4 [INF]: 201 Report, PENDING; COMPLETED 5 s of sandbox time later.
  defineRoute({
    method: 'POST',
    path: `${base}/reports`,
    response: { body: auditReportView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'team:admin',
    team,
    body: createReportBody,
    audit: { action: 'AUDIT_REPORT_GENERATED', resourceType: 'REPORT' },
    spec: { section: '3.10', inferred: true },
    async handler({ state, team, principal, body, audit }) {
      const record = await createReport(state, team.id, body, actingUser(principal)?.id ?? null);
      audit.resourceId = record.id;
      audit.details = { reportName: record.name, framework: record.framework, periodFrom: record.periodFrom, periodTo: record.periodTo };
      return json(toReport(record, state.clock.now()), 201);
    },
  }),
  // 3.10 #5 [INF]: the report as a JSON (default) or PDF attachment; 409 while PENDING.
  defineRoute({
    method: 'GET',
    path: `${base}/reports/:id/download`,
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'audit:view',
    team,
    params: reportParams,
    query: downloadQuery,
    spec: { section: '3.10', inferred: true },
    async handler({ state, team, params, query }) {
      const now = state.clock.now();
      const record = loadReport(state, team.id, params.id);
      assertCompleted(record, now);
      const content = reportContent(state, record, now);
      const headers = { 'content-disposition': `attachment; filename="${reportFileName(record, query.format)}"` };
      if (query.format === 'pdf') {
        return new Response(await reportPdf(content), { status: 200, headers: { ...headers, 'content-type': 'application/pdf' } });
      }
      return json(content, 200, headers);
    },
  }),
  // 3.10 #6 [INF]: `{teamId, retentionDays, updatedAt}`.
  defineRoute({
    method: 'GET',
    path: `${base}/retention`,
    response: { body: retentionView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'audit:view',
    team,
    spec: { section: '3.10', inferred: true },
    handler: ({ state, team }) => json(getRetention(state, team.id)),
  }),
  defineRoute({
    method: 'PUT',
    path: `${base}/retention`,
    response: { body: retentionView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'team:admin',
    team,
    body: retentionBody,
    audit: { action: 'AUDIT_RETENTION_UPDATED', resourceType: 'AUDIT' },
    spec: { section: '3.10', inferred: true },
    async handler({ state, team, body, audit }) {
      audit.details = { retentionDays: body.retentionDays, previousRetentionDays: getRetention(state, team.id).retentionDays };
      return json(await setRetention(state, team.id, body.retentionDays));
    },
  }),
  // 3.10 #7 [INF]: SIEM export settings; the token is write-only.
  defineRoute({
    method: 'GET',
    path: `${base}/siem`,
    response: { body: siemView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'audit:view',
    team,
    spec: { section: '3.10', inferred: true },
    handler: ({ state, team }) => json(getSiem(state, team.id)),
  }),
  defineRoute({
    method: 'PUT',
    path: `${base}/siem`,
    response: { body: siemView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'team:admin',
    team,
    body: siemBody,
    audit: { action: 'AUDIT_SIEM_UPDATED', resourceType: 'AUDIT' },
    spec: { section: '3.10', inferred: true },
    async handler({ state, team, body, audit }) {
      // Never the token itself: only whether it changed.
      audit.details = { enabled: body.enabled, provider: body.provider, url: body.url, tokenChanged: body.token !== undefined };
      return json(await saveSiem(state, team.id, body));
    },
  }),
  // 3.10 #7 [INF]: a simulated delivery, no network call; 200 `{success, statusCode, message, testedAt}`.
  defineRoute({
    method: 'POST',
    path: `${base}/siem/test`,
    response: { body: siemTestView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'team:admin',
    team,
    audit: { action: 'AUDIT_SIEM_TESTED', resourceType: 'AUDIT' },
    spec: { section: '3.10', inferred: true },
    handler({ state, team, audit }) {
      const result = testSiem(state, team.id);
      audit.details = { provider: getSiem(state, team.id).provider, success: result.success, statusCode: result.statusCode };
      return json(result);
    },
  }),
  // 3.10 #8 [INF]: recomputes the team's hashes; the pipeline then appends AUDIT_CHAIN_REBUILT.
  defineRoute({
    method: 'POST',
    path: `${base}/rebuild-chain`,
    response: { body: rebuildChainView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'team:admin',
    team,
    audit: { action: 'AUDIT_CHAIN_REBUILT', resourceType: 'AUDIT' },
    spec: { section: '3.10', inferred: true },
    async handler({ state, team, audit }) {
      const result = await rebuildChain(state, team.id);
      audit.details = { ...result };
      return json({ message: 'Audit chain rebuilt', teamId: team.id, ...result, rebuiltAt: state.clock.iso() });
    },
  }),
];
