import { beforeAll, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { ADMIN, auditPath, complianceOfficer, entriesOf } from './audit-fixtures.ts';
import { call, expectSpringError, testSandbox, TEST_NOW } from './helpers.ts';

const REPORTS = `${auditPath()}/reports`;
const OCTOBER = { name: 'October 2026 SOC 2 report', framework: 'SOC2', from: '2026-10-01T00:00:00Z', to: '2026-10-31T23:59:59.999Z' };

/** Downloads a report as raw bytes (PDF) with the response headers. */
async function download(sandbox: Sandbox, id: string, query = '') {
  const response = await sandbox.fetch(new Request(`http://sandbox.test${REPORTS}/${id}/download${query}`, { headers: { authorization: `Bearer ${ADMIN}` } }));
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** A document-information string of a PDF (pdf-lib writes them as UTF-16BE hex strings). */
function infoString(pdf: string, key: string): string {
  const hex = new RegExp(`/${key} <FEFF([0-9A-F]*)>`).exec(pdf)?.[1] ?? '';
  return String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((unit) => parseInt(unit, 16)));
}

describe('POST /api/audit/team/:teamId/reports', () => {
  it('answers 201 with a PENDING report and records AUDIT_REPORT_GENERATED', async () => {
    const sandbox = testSandbox();
    const created = await call(sandbox, 'POST', REPORTS, { token: ADMIN, body: OCTOBER });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/json');
    expect(created.json).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: OCTOBER.name,
      framework: 'SOC2',
      status: 'PENDING',
      createdAt: TEST_NOW,
      periodFrom: '2026-10-01T00:00:00.000Z',
      periodTo: '2026-10-31T23:59:59.999Z',
    });
    expect(entriesOf(sandbox).at(-1)).toMatchObject({
      action: 'AUDIT_REPORT_GENERATED',
      resourceType: 'REPORT',
      resourceId: created.json.id,
      userName: 'Ada Admin',
      details: { reportName: OCTOBER.name, framework: 'SOC2', periodFrom: '2026-10-01T00:00:00.000Z', periodTo: '2026-10-31T23:59:59.999Z' },
    });
  });

  it('returns 400 naming the field given an unknown framework, a bad date, a period ending before it starts or no name', async () => {
    const sandbox = testSandbox();
    const bad = async (body: unknown) => expectSpringError(await call(sandbox, 'POST', REPORTS, { token: ADMIN, body }), 400, 'Bad Request', REPORTS);
    expect(await bad({ ...OCTOBER, framework: 'ISO27001' })).toBe('framework must be one of SOC2, GDPR, HIPAA, PCI_DSS.');
    expect(await bad({ ...OCTOBER, from: 'last month' })).toMatch(/^Field 'from' must be an ISO-8601 date-time/);
    expect(await bad({ ...OCTOBER, from: '2026-11-01', to: '2026-10-01' })).toMatch(/'from' \(2026-11-01\) must not be after 'to'/);
    expect(await bad({ ...OCTOBER, name: '  ' })).toMatch(/^name is required/);
    expect(await bad({ name: 'x', framework: 'GDPR', from: '2026-10-01' })).toMatch(/^Field 'to' is required/);
  });

  it('returns 400 saying a field must be a string, not that it is missing, given a number or an object', async () => {
    const sandbox = testSandbox();
    const bad = async (body: unknown) => expectSpringError(await call(sandbox, 'POST', REPORTS, { token: ADMIN, body }), 400, 'Bad Request', REPORTS);
    expect(await bad({ ...OCTOBER, from: 20261001 })).toBe("Field 'from' must be a string holding an ISO-8601 date-time such as 2026-10-01T00:00:00Z; got 20261001.");
    expect(await bad({ ...OCTOBER, to: { date: '2026-10-31' } })).toMatch(/^Field 'to' must be a string holding an ISO-8601 date-time/);
    expect(await bad({ ...OCTOBER, name: 5 })).toBe('name must be a string, e.g. "October 2026 SOC 2 report".');
    expect(await bad({ ...OCTOBER, from: null })).toMatch(/^Field 'from' is required/);
    expect(sandbox.state.db.auditReports.all()).toHaveLength(0);
  });

  it('returns 403 to a COMPLIANCE_OFFICER and to another team, and records nothing', async () => {
    const sandbox = testSandbox();
    const { cookie } = await complianceOfficer(sandbox);
    const before = sandbox.state.db.auditLogs.count();
    expectSpringError(await call(sandbox, 'POST', REPORTS, { cookie, body: OCTOBER }), 403, 'Forbidden', REPORTS);
    const hobby = `${auditPath(HOBBY_TEAM_ID)}/reports`;
    expectSpringError(await call(sandbox, 'POST', hobby, { token: ADMIN, body: OCTOBER }), 403, 'Forbidden', hobby);
    expect(sandbox.state.db.auditLogs.count()).toBe(before);
  });
});

describe('the report life cycle', () => {
  let sandbox: Sandbox;
  let id: string;
  beforeAll(async () => {
    sandbox = testSandbox();
    id = (await call(sandbox, 'POST', REPORTS, { token: ADMIN, body: OCTOBER })).json.id;
  });

  it('answers 409 with Retry-After to a download while PENDING', async () => {
    const early = await call(sandbox, 'GET', `${REPORTS}/${id}/download`, { token: ADMIN });
    expect(expectSpringError(early, 409, 'Conflict', `${REPORTS}/${id}/download`)).toMatch(/still PENDING.*2026-11-01T12:00:05\.000Z/);
    expect(early.headers.get('retry-after')).toBe('5');
  });

  it('lists reports as an array with the status at the sandbox clock', async () => {
    const second = await call(sandbox, 'POST', REPORTS, { token: ADMIN, body: { ...OCTOBER, name: 'GDPR', framework: 'GDPR' } });
    const pending = await call(sandbox, 'GET', REPORTS, { token: ADMIN });
    expect(pending.status).toBe(200);
    expect(pending.json.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [second.json.id, 'PENDING'],
      [id, 'PENDING'],
    ]);
    sandbox.clock.advance('4999ms');
    expect((await call(sandbox, 'GET', REPORTS, { token: ADMIN })).json[0].status).toBe('PENDING');
    sandbox.clock.advance('1ms');
    const done = await call(sandbox, 'GET', REPORTS, { token: ADMIN });
    expect(done.json.map((r: { status: string }) => r.status)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(Object.keys(done.json[0])).toEqual(['id', 'name', 'framework', 'status', 'createdAt', 'periodFrom', 'periodTo']);
  });

  it('downloads a completed report as a JSON attachment with the period\'s entries, counts and chain check', async () => {
    const file = await call(sandbox, 'GET', `${REPORTS}/${id}/download`, { token: ADMIN });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/json');
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="audit-report-soc2-2026-11-01-${id.slice(0, 8)}.json"`);
    const inOctober = entriesOf(sandbox).filter((e) => e.createdAt.startsWith('2026-10'));
    expect(file.json.report).toMatchObject({ id, status: 'COMPLETED', teamId: ACME_TEAM_ID, teamName: 'Acme Robotics', completedAt: '2026-11-01T12:00:05.000Z', requestedBy: { name: 'Ada Admin' } });
    expect(file.json.report.controls).toMatch(/SOC 2 CC7\.2/);
    expect(file.json.summary.totalEntries).toBe(inOctober.length);
    expect(file.json.entries.map((e: { id: string }) => e.id)).toEqual(inOctober.map((e) => e.id));
    const logins = inOctober.filter((e) => e.action === 'USER_LOGIN').length;
    expect(file.json.summary.countsByAction.USER_LOGIN).toBe(logins);
    expect(file.json.chainVerification).toMatchObject({ valid: true, entriesVerified: entriesOf(sandbox).length, verifiedAt: '2026-11-01T12:00:05.000Z' });
  });

  it('downloads the same report as a real, byte-stable PDF with ?format=pdf', async () => {
    const pdf = await download(sandbox, id, '?format=pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="audit-report-soc2-2026-11-01-${id.slice(0, 8)}.pdf"`);
    const text = new TextDecoder('latin1').decode(pdf.bytes);
    expect(text.startsWith('%PDF-1.')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(infoString(text, 'Title')).toBe('Audit report: October 2026 SOC 2 report');
    expect(infoString(text, 'Producer')).toBe('nodeloom-sandbox with @pdfme/pdf-lib');
    expect(text.match(/\/Type \/Page\b/g)!.length).toBeGreaterThanOrEqual(2);
    expect((await download(sandbox, id, '?format=pdf')).bytes).toEqual(pdf.bytes);
  });

  it('reports a broken chain in the file after a tamper', async () => {
    await call(sandbox, 'POST', '/__sandbox/audit/tamper', { body: { teamId: ACME_TEAM_ID } });
    const file = await call(sandbox, 'GET', `${REPORTS}/${id}/download`, { token: ADMIN });
    expect(file.json.chainVerification).toMatchObject({ valid: false, brokenAtTimestamp: expect.any(String) });
  });

  it('returns 400 given an unknown format and 404 given an unknown or another team\'s report', async () => {
    const path = `${REPORTS}/${id}/download`;
    expect(expectSpringError(await call(sandbox, 'GET', `${path}?format=xml`, { token: ADMIN }), 400, 'Bad Request', path)).toBe(
      "Query parameter 'format' must be one of json, pdf; got 'xml'.",
    );
    expectSpringError(await call(sandbox, 'GET', `${REPORTS}/nope/download`, { token: ADMIN }), 404, 'Not Found', `${REPORTS}/nope/download`);
    const hobbyReport = await call(sandbox, 'POST', `${auditPath(HOBBY_TEAM_ID)}/reports`, { token: 'sdk_sandbox_hobby', body: OCTOBER });
    expect(hobbyReport.status).toBe(201);
    const other = `${REPORTS}/${hobbyReport.json.id}/download`;
    expectSpringError(await call(sandbox, 'GET', other, { token: ADMIN }), 404, 'Not Found', other);
  });

  it('lets a COMPLIANCE_OFFICER list and download reports', async () => {
    const { cookie } = await complianceOfficer(sandbox);
    expect((await call(sandbox, 'GET', REPORTS, { cookie })).status).toBe(200);
    expect((await call(sandbox, 'GET', `${REPORTS}/${id}/download`, { cookie })).status).toBe(200);
  });
});
