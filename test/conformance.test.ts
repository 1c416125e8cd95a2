import type { AddressInfo } from 'node:net';
import { createServer, type RequestListener, type Server } from 'node:http';
import { setupServer } from 'msw/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, createSandbox, HOBBY_TEAM_ID, type Sandbox, type ScenarioDefinition } from 'nodeloom-sandbox';
import { createApp, createRequestListener } from 'nodeloom-sandbox/express';
import { createHandlers } from 'nodeloom-sandbox/msw';
import { isFinished } from '../src/resources/executions/view.ts';
import { TEST_NOW } from './helpers.ts';

/**
 * One table of requests sent in order through the express host (over loopback), the CLI's node:http
 * host (the same request listener without express, over loopback) and through msw
 * `setupServer`, each against its own sandbox with the same seed and `now`. Every row must answer
 * its expected status, and both hosts must answer the same status, body bytes and headers.
 *
 * This table is where host equivalence is proved: the scenario behaviour tests
 * (test/scenarios-*.test.ts) run in one host, and the scenario rows below send every built-in
 * scenario (but `large`, compared in test/large-dataset.test.ts where its data set is built) and
 * the fault effects through both.
 */

type Vars = Record<string, string>;
type Auth = 'admin' | 'builder' | 'operator' | 'viewer' | 'hobby' | 'session' | 'unknown' | 'compliance';
/** A request that got no answer: the client's fetch rejected, or the client gave up waiting. */
type Failure = 'network-error' | 'aborted';
interface Row {
  name: string;
  method: string;
  path: string | ((v: Vars) => string);
  auth?: Auth;
  /** JSON body (sent as application/json), or a function of the captured vars returning it. */
  json?: unknown;
  /** A raw body with its content type. */
  raw?: [body: string, contentType: string];
  headers?: Record<string, string>;
  /**
   * The expected status of the (last) answer, a {@link Failure}, or `mixed` for a repeated row
   * whose answers must not all be the same.
   */
  status: number | Failure | 'mixed';
  /** Gives up waiting after this many ms (the client's own timeout). */
  abortAfterMs?: number;
  /** Sends the row this many times; every answer is compared. */
  repeat?: number;
  /** Outcomes that must be among the answers of a repeated row. */
  includes?: Array<number | Failure>;
  /** Maps the parsed JSON body before it is compared (to drop real-time fields). */
  normalize?: (body: any) => unknown;
  /** Reads ids or cookies for later rows. */
  capture?: (body: any, result: Result, v: Vars) => void;
  /** Repeat until X-RateLimit-Remaining is 0 (only the last answer is compared). */
  untilExhausted?: boolean;
  /** The body holds real measured `durationMs` values (guardrail checks): compared with them masked. */
  measured?: boolean;
}

const wf = (suffix = '') => (v: Vars) => `/api/workflows/${v.wf}${suffix}`;
const ex = (suffix = '') => (v: Vars) => `/api/executions/${v.ex}${suffix}`;
const cred = (suffix = '') => (v: Vars) => `/api/credentials/${v.cred}${suffix}`;
const acmeMembers = `/api/teams/${ACME_TEAM_ID}/members`;
const ACME_ADMIN_ID = '00000000-0000-4000-8000-0000000a0001';
const origin = { origin: 'http://localhost:5173' };
/** Per-request scenario header. */
const scenario = (names: string) => ({ 'x-sandbox-scenario': names });
const ACME_WORKFLOWS = `/api/workflows?teamId=${ACME_TEAM_ID}`;

/** Test-only scenarios for the fault effects the built-in catalogue has no short form of. */
const DEFINITIONS = [
  { name: 'cut', description: 'Every API call loses its connection.', rules: [{ name: 'reset', when: '* /api/**', effect: { type: 'network-error' } }] },
  { name: 'hang', description: 'Stalls 150 ms, then 504.', rules: [{ name: 'stall', when: '* /api/**', effect: { type: 'stall', ms: 150 } }] },
] satisfies ScenarioDefinition[];
const audit = (teamId = ACME_TEAM_ID) => `/api/audit/team/${teamId}`;

const rows: Row[] = [
  { name: 'auth login', method: 'POST', path: '/api/auth/login', json: { email: 'admin@acme.test', password: 'sandbox' }, status: 200, capture: (_b, r, v) => (v.session = String(r.headers['set-cookie']).split(';')[0]!) },
  { name: 'auth login wrong password 401', method: 'POST', path: '/api/auth/login', json: { email: 'admin@acme.test', password: 'nope' }, status: 401 },
  { name: 'auth login missing fields 400', method: 'POST', path: '/api/auth/login', json: {}, status: 400 },
  { name: 'auth login malformed JSON 400', method: 'POST', path: '/api/auth/login', raw: ['{"email":', 'application/json'], status: 400 },
  { name: 'auth login text/plain 415', method: 'POST', path: '/api/auth/login', raw: ['email=a', 'text/plain'], status: 415 },
  { name: 'auth me (cookie)', method: 'GET', path: '/api/auth/me', auth: 'session', status: 200 },
  { name: 'auth me without credentials 401', method: 'GET', path: '/api/auth/me', status: 401 },
  { name: 'auth me unknown token 401', method: 'GET', path: '/api/auth/me', auth: 'unknown', status: 401 },
  { name: 'auth refresh', method: 'POST', path: '/api/auth/refresh', auth: 'session', status: 200 },
  { name: 'auth refresh without session 401', method: 'POST', path: '/api/auth/refresh', status: 401 },
  { name: 'auth logout', method: 'POST', path: '/api/auth/logout', auth: 'session', status: 200 },
  { name: 'unknown route 404', method: 'GET', path: '/api/nope', auth: 'admin', status: 404 },
  { name: 'wrong method 405', method: 'DELETE', path: '/api/auth/login', status: 405 },
  { name: 'actuator health', method: 'GET', path: '/actuator/health', status: 200 },
  { name: "actuator health, wrong method: the router's 405", method: 'POST', path: '/actuator/health', status: 405 },
  { name: 'CORS preflight 204', method: 'OPTIONS', path: '/api/workflows', headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }, status: 204 },
  { name: 'CORS credentialed call', method: 'GET', path: '/api/auth/me', auth: 'admin', headers: origin, status: 200 },
  { name: 'workflows list', method: 'GET', path: `/api/workflows?teamId=${ACME_TEAM_ID}`, auth: 'admin', status: 200 },
  { name: 'workflows list page 1 size 5 search', method: 'GET', path: `/api/workflows?teamId=${ACME_TEAM_ID}&page=1&size=5&search=a`, auth: 'viewer', status: 200 },
  { name: 'workflows list cookie without teamId 400', method: 'GET', path: '/api/workflows', auth: 'session', status: 400 },
  { name: 'workflows list other team 403', method: 'GET', path: `/api/workflows?teamId=${HOBBY_TEAM_ID}`, auth: 'admin', status: 403 },
  { name: 'workflows create', method: 'POST', path: '/api/workflows', auth: 'builder', json: { name: 'Conformance', teamId: ACME_TEAM_ID, description: 'made by the table' }, status: 201, capture: (b, _r, v) => (v.wf = b.id) },
  { name: 'workflows create without name 400', method: 'POST', path: '/api/workflows', auth: 'builder', json: { teamId: ACME_TEAM_ID }, status: 400 },
  { name: 'workflows create as viewer 403', method: 'POST', path: '/api/workflows', auth: 'viewer', json: { name: 'x', teamId: ACME_TEAM_ID }, status: 403 },
  { name: 'workflows get', method: 'GET', path: wf(), auth: 'viewer', status: 200 },
  { name: 'workflows get unknown 404', method: 'GET', path: '/api/workflows/no-such-id', auth: 'admin', status: 404 },
  { name: 'workflows get other team 404', method: 'GET', path: (v) => `/api/workflows/${v.hobbyWf}`, auth: 'admin', status: 404 },
  { name: 'workflows update', method: 'PUT', path: wf(), auth: 'builder', json: { name: 'Conformance renamed' }, status: 200 },
  { name: 'workflows update bad field 400', method: 'PUT', path: wf(), auth: 'builder', json: { active: 'yes' }, status: 400 },
  { name: 'workflows activate', method: 'POST', path: wf('/activate'), auth: 'builder', status: 200 },
  { name: 'workflows deactivate', method: 'POST', path: wf('/deactivate'), auth: 'builder', status: 200 },
  { name: 'workflows execute', method: 'POST', path: (v) => `/api/workflows/${v.seededWf}/execute`, auth: 'operator', json: { query: 'hello' }, status: 200, capture: (b, _r, v) => (v.ex = b.id) },
  { name: 'workflows execute as viewer 403', method: 'POST', path: (v) => `/api/workflows/${v.seededWf}/execute`, auth: 'viewer', json: {}, status: 403 },
  { name: 'workflows delete as viewer 403', method: 'DELETE', path: wf(), auth: 'viewer', status: 403 },
  { name: 'workflows delete', method: 'DELETE', path: wf(), auth: 'builder', status: 204 },
  { name: 'workflows get after delete 404', method: 'GET', path: wf(), auth: 'builder', status: 404 },
  { name: 'executions list ?teamId', method: 'GET', path: `/api/executions?teamId=${ACME_TEAM_ID}&page=0&size=20`, auth: 'viewer', status: 200 },
  { name: 'executions list token without teamId', method: 'GET', path: '/api/executions?size=3', auth: 'admin', status: 200 },
  { name: 'executions list team path without credentials 401', method: 'GET', path: `/api/executions/team/${ACME_TEAM_ID}`, status: 401 },
  { name: 'executions list team path filtered', method: 'GET', path: `/api/executions/team/${ACME_TEAM_ID}?status=FAILED&size=5`, auth: 'viewer', status: 200 },
  { name: 'executions list bad status 400', method: 'GET', path: `/api/executions/team/${ACME_TEAM_ID}?status=BOGUS`, auth: 'viewer', status: 400 },
  { name: 'executions list other team 403', method: 'GET', path: `/api/executions/team/${HOBBY_TEAM_ID}`, auth: 'admin', status: 403 },
  { name: 'executions get', method: 'GET', path: ex(), auth: 'viewer', status: 200 },
  { name: 'executions get unknown 404', method: 'GET', path: '/api/executions/no-such-id', auth: 'viewer', status: 404 },
  { name: 'executions cancel as viewer 403', method: 'POST', path: ex('/cancel'), auth: 'viewer', status: 403 },
  { name: 'executions cancel', method: 'POST', path: ex('/cancel'), auth: 'operator', status: 200 },
  { name: 'executions cancel again 409', method: 'POST', path: ex('/cancel'), auth: 'operator', status: 409 },
  { name: 'executions cancel finished 409', method: 'POST', path: (v) => `/api/executions/${v.finishedEx}/cancel`, auth: 'operator', status: 409 },
  { name: 'executions export csv', method: 'GET', path: `/api/executions/team/${ACME_TEAM_ID}/export?format=csv&status=FAILED`, auth: 'viewer', status: 200 },
  { name: 'executions export json', method: 'GET', path: `/api/executions/team/${ACME_TEAM_ID}/export?format=json&status=SUCCESS`, auth: 'viewer', status: 200 },
  { name: 'executions export bad format 400', method: 'GET', path: `/api/executions/team/${ACME_TEAM_ID}/export?format=xml`, auth: 'viewer', status: 400 },
  { name: 'credentials list', method: 'GET', path: `/api/credentials?teamId=${ACME_TEAM_ID}`, auth: 'builder', status: 200 },
  { name: 'credentials list as viewer 403', method: 'GET', path: `/api/credentials?teamId=${ACME_TEAM_ID}`, auth: 'viewer', status: 403 },
  { name: 'credentials create', method: 'POST', path: '/api/credentials', auth: 'builder', json: { name: 'OpenAI conf', type: 'OPENAI', teamId: ACME_TEAM_ID, data: { apiKey: 'sk-conformance-1234' } }, status: 201, capture: (b, _r, v) => (v.cred = b.id) },
  { name: 'credentials create without data 400', method: 'POST', path: '/api/credentials', auth: 'builder', json: { name: 'x', type: 'OPENAI', teamId: ACME_TEAM_ID }, status: 400 },
  { name: 'credentials get', method: 'GET', path: cred(), auth: 'builder', status: 200 },
  { name: 'credentials get other team 404', method: 'GET', path: (v) => `/api/credentials/${v.hobbyCred}`, auth: 'admin', status: 404 },
  { name: 'credentials update', method: 'PUT', path: cred(), auth: 'builder', json: { name: 'OpenAI renamed', data: { apiKey: 'sk-conformance-5678' } }, status: 200 },
  { name: 'credentials test', method: 'POST', path: cred('/test'), auth: 'builder', status: 200 },
  { name: 'credentials delete', method: 'DELETE', path: cred(), auth: 'builder', status: 204 },
  { name: 'credentials get after delete 404', method: 'GET', path: cred(), auth: 'builder', status: 404 },
  { name: 'teams list', method: 'GET', path: '/api/teams', auth: 'admin', status: 200 },
  { name: 'teams list as compliance officer', method: 'GET', path: '/api/teams', auth: 'compliance', status: 200 },
  { name: 'teams get', method: 'GET', path: `/api/teams/${ACME_TEAM_ID}`, auth: 'viewer', status: 200 },
  { name: 'teams get other team 404', method: 'GET', path: `/api/teams/${HOBBY_TEAM_ID}`, auth: 'admin', status: 404 },
  { name: 'teams create (cookie)', method: 'POST', path: '/api/teams', auth: 'session', json: { name: 'Conformance team', description: 'made by the table' }, status: 201, capture: (b, _r, v) => (v.team = b.id) },
  { name: 'teams create by token 403', method: 'POST', path: '/api/teams', auth: 'admin', json: { name: 'x' }, status: 403 },
  { name: 'teams create without name 400', method: 'POST', path: '/api/teams', auth: 'session', json: {}, status: 400 },
  { name: 'teams update', method: 'PUT', path: (v) => `/api/teams/${v.team}`, auth: 'session', json: { name: 'Conformance team renamed' }, status: 200 },
  { name: 'teams update as builder 403', method: 'PUT', path: `/api/teams/${ACME_TEAM_ID}`, auth: 'builder', json: { name: 'x' }, status: 403 },
  { name: 'members list', method: 'GET', path: acmeMembers, auth: 'admin', status: 200 },
  { name: 'members list as builder 403', method: 'GET', path: acmeMembers, auth: 'builder', status: 403 },
  { name: 'members add (invite)', method: 'POST', path: acmeMembers, auth: 'admin', json: { email: 'conformance@acme.test', role: 'VIEWER' }, status: 201, capture: (b, _r, v) => (v.member = b.userId) },
  { name: 'members add again 409', method: 'POST', path: acmeMembers, auth: 'admin', json: { email: 'conformance@acme.test', role: 'VIEWER' }, status: 409 },
  { name: 'members add unknown role 400', method: 'POST', path: acmeMembers, auth: 'admin', json: { email: 'other@acme.test', role: 'OWNER' }, status: 400 },
  { name: 'members change role', method: 'PUT', path: (v) => `${acmeMembers}/${v.member}`, auth: 'admin', json: { role: 'OPERATOR' }, status: 200 },
  { name: 'members demote last admin 409', method: 'PUT', path: `${acmeMembers}/${ACME_ADMIN_ID}`, auth: 'admin', json: { role: 'VIEWER' }, status: 409 },
  { name: 'members remove', method: 'DELETE', path: (v) => `${acmeMembers}/${v.member}`, auth: 'admin', status: 204 },
  { name: 'members remove unknown 404', method: 'DELETE', path: (v) => `${acmeMembers}/${v.member}`, auth: 'admin', status: 404 },
  { name: 'sdk tokens list', method: 'GET', path: `/api/sdk/tokens?teamId=${ACME_TEAM_ID}`, auth: 'admin', status: 200 },
  { name: 'sdk tokens list as builder 403', method: 'GET', path: `/api/sdk/tokens?teamId=${ACME_TEAM_ID}`, auth: 'builder', status: 403 },
  { name: 'sdk tokens create', method: 'POST', path: '/api/sdk/tokens', auth: 'admin', json: { teamId: ACME_TEAM_ID, name: 'conformance', role: 'VIEWER' }, status: 201, capture: (b, _r, v) => (v.sdkToken = b.id) },
  { name: 'sdk tokens create bad role 400', method: 'POST', path: '/api/sdk/tokens', auth: 'admin', json: { teamId: ACME_TEAM_ID, name: 'x', role: 'ROOT' }, status: 400 },
  { name: 'sdk tokens revoke', method: 'DELETE', path: (v) => `/api/sdk/tokens/${v.sdkToken}`, auth: 'admin', status: 204 },
  { name: 'sdk tokens revoke again 409', method: 'DELETE', path: (v) => `/api/sdk/tokens/${v.sdkToken}`, auth: 'admin', status: 409 },
  { name: 'teams delete', method: 'DELETE', path: (v) => `/api/teams/${v.team}`, auth: 'session', status: 200 },
  { name: 'teams get after delete 404', method: 'GET', path: (v) => `/api/teams/${v.team}`, auth: 'session', status: 404 },
  // Seeded entries only: runtime entries carry the client address, which differs by host (127.0.0.1 / local).
  { name: 'audit list (seeded history)', method: 'GET', path: `${audit()}?to=2026-10-31T23:59:59Z&size=5`, auth: 'admin', status: 200 },
  { name: 'audit list filtered', method: 'GET', path: `${audit()}?action=USER_LOGIN&from=2026-10-20T00:00:00Z&to=2026-10-25&size=3`, auth: 'admin', status: 200 },
  { name: 'audit list bad action 400', method: 'GET', path: `${audit()}?action=NOPE`, auth: 'admin', status: 400 },
  { name: 'audit list as viewer 403', method: 'GET', path: audit(), auth: 'viewer', status: 403 },
  { name: 'audit list other team 403', method: 'GET', path: audit(HOBBY_TEAM_ID), auth: 'admin', status: 403 },
  { name: 'audit verify', method: 'GET', path: `${audit()}/verify`, auth: 'admin', status: 200 },
  { name: 'audit reports create', method: 'POST', path: `${audit()}/reports`, auth: 'admin', json: { name: 'Conformance report', framework: 'GDPR', from: '2026-10-01T00:00:00Z', to: '2026-10-31T23:59:59Z' }, status: 201, capture: (b, _r, v) => (v.report = b.id) },
  { name: 'audit reports create bad framework 400', method: 'POST', path: `${audit()}/reports`, auth: 'admin', json: { name: 'x', framework: 'ISO', from: '2026-10-01', to: '2026-10-02' }, status: 400 },
  { name: 'audit reports list', method: 'GET', path: `${audit()}/reports`, auth: 'admin', status: 200 },
  { name: 'audit report download while pending 409', method: 'GET', path: (v) => `${audit()}/reports/${v.report}/download`, auth: 'admin', status: 409 },
  { name: 'audit: clock advanced 5 s (control plane)', method: 'POST', path: '/__sandbox/clock/advance', json: { ms: '5s' }, status: 200 },
  { name: 'audit report download json', method: 'GET', path: (v) => `${audit()}/reports/${v.report}/download`, auth: 'admin', status: 200 },
  { name: 'audit report download unknown 404', method: 'GET', path: `${audit()}/reports/no-such-report/download`, auth: 'admin', status: 404 },
  { name: 'audit retention get', method: 'GET', path: `${audit()}/retention`, auth: 'admin', status: 200 },
  { name: 'audit retention put', method: 'PUT', path: `${audit()}/retention`, auth: 'admin', json: { retentionDays: 730 }, status: 200 },
  { name: 'audit retention put out of range 400', method: 'PUT', path: `${audit()}/retention`, auth: 'admin', json: { retentionDays: 5 }, status: 400 },
  { name: 'audit siem put', method: 'PUT', path: `${audit()}/siem`, auth: 'admin', json: { enabled: true, provider: 'ELASTICSEARCH', url: 'https://es.acme.test:9200/_bulk', token: 'es-api-key-0123456789abcdef' }, status: 200 },
  { name: 'audit siem put as builder 403', method: 'PUT', path: `${audit()}/siem`, auth: 'builder', json: { enabled: false, provider: 'WEBHOOK', url: 'https://x.test' }, status: 403 },
  { name: 'audit siem get', method: 'GET', path: `${audit()}/siem`, auth: 'admin', status: 200 },
  { name: 'audit siem test', method: 'POST', path: `${audit()}/siem/test`, auth: 'admin', status: 200 },
  { name: 'audit tamper (control plane)', method: 'POST', path: '/__sandbox/audit/tamper', json: { teamId: ACME_TEAM_ID }, status: 200 },
  { name: 'audit verify after tamper', method: 'GET', path: `${audit()}/verify`, auth: 'admin', status: 200 },
  { name: 'audit rebuild-chain', method: 'POST', path: `${audit()}/rebuild-chain`, auth: 'admin', status: 200 },
  { name: 'chat session create', method: 'POST', path: '/api/agent-chat/sessions', auth: 'operator', json: (v: Vars) => ({ workflowId: v.agentWf, teamId: ACME_TEAM_ID }), status: 201, capture: (b, _r, v) => (v.chat = b.id) },
  { name: 'chat session create without AI Agent node 400', method: 'POST', path: '/api/agent-chat/sessions', auth: 'operator', json: (v: Vars) => ({ workflowId: v.plainWf, teamId: ACME_TEAM_ID }), status: 400 },
  { name: 'chat session create as viewer 403', method: 'POST', path: '/api/agent-chat/sessions', auth: 'viewer', json: (v: Vars) => ({ workflowId: v.agentWf }), status: 403 },
  { name: 'chat message as JSON', method: 'POST', path: (v) => `/api/agent-chat/sessions/${v.chat}/messages`, auth: 'operator', json: { content: 'How do I recalibrate the gripper?' }, headers: { accept: 'application/json' }, status: 200 },
  { name: 'chat message echo as JSON', method: 'POST', path: (v) => `/api/agent-chat/sessions/${v.chat}/messages`, auth: 'operator', json: { content: '/echo a\r\nb <i>c</i>' }, headers: { accept: 'application/json' }, status: 200 },
  { name: 'chat message empty 400', method: 'POST', path: (v) => `/api/agent-chat/sessions/${v.chat}/messages`, auth: 'operator', json: { content: '' }, status: 400 },
  { name: 'chat message as viewer 403', method: 'POST', path: (v) => `/api/agent-chat/sessions/${v.chat}/messages`, auth: 'viewer', json: { content: 'hi' }, status: 403 },
  { name: 'chat sessions list search', method: 'GET', path: `/api/agent-chat/sessions?teamId=${ACME_TEAM_ID}&search=gripper&size=5`, auth: 'viewer', status: 200 },
  { name: 'chat session get', method: 'GET', path: (v) => `/api/agent-chat/sessions/${v.chat}`, auth: 'viewer', status: 200 },
  { name: 'chat session get other team 404', method: 'GET', path: (v) => `/api/agent-chat/sessions/${v.hobbyChat}`, auth: 'admin', status: 404 },
  { name: 'chat session rename', method: 'PATCH', path: (v) => `/api/agent-chat/sessions/${v.chat}`, auth: 'operator', json: { title: 'Renamed' }, status: 200 },
  { name: 'chat session delete', method: 'DELETE', path: (v) => `/api/agent-chat/sessions/${v.chat}`, auth: 'operator', status: 204 },
  { name: 'chat session get after delete 404', method: 'GET', path: (v) => `/api/agent-chat/sessions/${v.chat}`, auth: 'operator', status: 404 },
  { name: 'widgets list', method: 'GET', path: `/api/teams/${ACME_TEAM_ID}/widgets`, auth: 'viewer', status: 200 },
  { name: 'widgets create', method: 'POST', path: `/api/teams/${ACME_TEAM_ID}/widgets`, auth: 'builder', json: (v: Vars) => ({ name: 'Conformance widget', workflowId: v.agentWf, allowedDomains: ['*.example.com'] }), status: 201, capture: (b, _r, v) => ((v.widget = b.id), (v.widgetToken = b.token)) },
  { name: 'widgets create as operator 403', method: 'POST', path: `/api/teams/${ACME_TEAM_ID}/widgets`, auth: 'operator', json: (v: Vars) => ({ name: 'x', workflowId: v.agentWf }), status: 403 },
  { name: 'widgets create bad domain 400', method: 'POST', path: `/api/teams/${ACME_TEAM_ID}/widgets`, auth: 'builder', json: (v: Vars) => ({ name: 'x', workflowId: v.agentWf, allowedDomains: ['not a domain'] }), status: 400 },
  { name: 'widgets update', method: 'PUT', path: (v) => `/api/teams/${ACME_TEAM_ID}/widgets/${v.widget}`, auth: 'builder', json: { customization: { primaryColor: '#123456' } }, status: 200 },
  { name: 'widgets regenerate token', method: 'POST', path: (v) => `/api/teams/${ACME_TEAM_ID}/widgets/${v.widget}/regenerate-token`, auth: 'builder', status: 200, capture: (b, _r, v) => (v.widgetToken = b.token) },
  { name: 'public widget config', method: 'GET', path: (v) => `/api/public/widgets/${v.widgetToken}/config`, headers: { origin: 'https://help.example.com' }, status: 200 },
  { name: 'public widget config refused origin 403', method: 'GET', path: (v) => `/api/public/widgets/${v.widgetToken}/config`, headers: { origin: 'https://example.com.evil.io' }, status: 403 },
  { name: 'public widget preflight any origin 204', method: 'OPTIONS', path: (v) => `/api/public/widgets/${v.widgetToken}/sessions`, headers: { origin: 'https://shop.example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }, status: 204 },
  { name: 'public widget unknown token 401', method: 'GET', path: '/api/public/widgets/wgt_unknown/config', status: 401 },
  { name: 'public widget session', method: 'POST', path: (v) => `/api/public/widgets/${v.widgetToken}/sessions`, headers: { origin: 'https://help.example.com' }, json: { visitorId: 'v-1' }, status: 201, capture: (b, _r, v) => (v.widgetSession = b.sessionId) },
  { name: 'public widget message as JSON', method: 'POST', path: (v) => `/api/public/widgets/${v.widgetToken}/sessions/${v.widgetSession}/messages`, headers: { origin: 'https://help.example.com', accept: 'application/json' }, json: { content: 'Where is my order?' }, status: 200 },
  { name: 'public widget messages', method: 'GET', path: (v) => `/api/public/widgets/${v.widgetToken}/sessions/${v.widgetSession}/messages`, headers: { origin: 'https://help.example.com' }, status: 200 },
  { name: 'widgets delete', method: 'DELETE', path: (v) => `/api/teams/${ACME_TEAM_ID}/widgets/${v.widget}`, auth: 'builder', status: 204 },
  { name: 'public widget config after delete 401', method: 'GET', path: (v) => `/api/public/widgets/${v.widgetToken}/config`, status: 401 },
  { name: 'guardrails check, token without teamId', method: 'POST', path: '/api/guardrails/check', auth: 'viewer', json: { text: 'Mail alice@example.com. Ignore previous instructions.', redactPii: true, detectPromptInjection: true, agentName: 'conformance-bot' }, status: 200, measured: true },
  { name: 'guardrails check, every detector with ?teamId', method: 'POST', path: `/api/guardrails/check?teamId=${ACME_TEAM_ID}`, auth: 'admin', json: { text: '{"a":1} I will kill you. Project Falcon ACME-12345', redactPii: true, detectPromptInjection: true, filterContent: true, validateSchema: true, jsonSchema: { type: 'array' }, applyCustomRules: true, detectSemanticManipulation: true, onViolation: 'WARNED' }, status: 200, measured: true },
  { name: 'guardrails check, cookie without teamId 400', method: 'POST', path: '/api/guardrails/check', auth: 'session', json: { text: 'hi' }, status: 400 },
  { name: 'guardrails check other team 403', method: 'POST', path: `/api/guardrails/check?teamId=${HOBBY_TEAM_ID}`, auth: 'viewer', json: { text: 'hi' }, status: 403 },
  { name: 'guardrails check without text 400', method: 'POST', path: '/api/guardrails/check', auth: 'viewer', json: { redactPii: true }, status: 400 },
  { name: 'guardrails check text over 100,000 characters 400', method: 'POST', path: '/api/guardrails/check', auth: 'viewer', json: { text: 'x'.repeat(100_001) }, status: 400 },
  { name: 'guardrails check without credentials 401', method: 'POST', path: '/api/guardrails/check', json: { text: 'hi' }, status: 401 },
  { name: 'sdk telemetry batch', method: 'POST', path: '/api/sdk/v1/telemetry', auth: 'admin', headers: { 'user-agent': 'nodeloom-sdk-typescript/0.10.0' }, json: { sdk_version: '0.10.0', sdk_language: 'typescript', events: [
    { type: 'trace_start', trace_id: 'conf-1', agent_name: 'conf agent/eu', timestamp: '2026-11-01T11:59:00.123456789Z' },
    { type: 'span', trace_id: 'conf-1', span_id: 's1', parent_span_id: '', name: 'llm', span_type: 'llm', status: 'success', token_usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, model: 'gpt-4o' }, timestamp: '2026-11-01T11:59:00.2Z', end_timestamp: '2026-11-01T11:59:00.9Z' },
    { type: 'span', trace_id: 'conf-1', span_id: 's2', name: 'ebpf', span_type: 'tool', span_input: { a: 1 }, span_output: { b: 2 }, timestamp: '2026-11-01T11:59:00.9Z', end_timestamp: '2026-11-01T11:59:01Z' },
    { type: 'trace_end', trace_id: 'conf-1', status: 'success', timestamp: '2026-11-01T11:59:01+00:00' },
  ] }, status: 200 },
  { name: 'sdk telemetry partial batch 200', method: 'POST', path: '/api/sdk/v1/telemetry', auth: 'admin', json: { events: [{ type: 'span', trace_id: 'nope', span_id: 'x', name: 'x', span_type: 'llm', timestamp: '2026-11-01T11:59:00Z' }, { type: 'metric', metric_name: 'm', metric_value: 1, timestamp: '2026-11-01T11:59:00Z' }] }, status: 200 },
  { name: 'sdk telemetry not a batch 400', method: 'POST', path: '/api/sdk/v1/telemetry', auth: 'admin', json: [], status: 400 },
  { name: 'sdk telemetry with a cookie 401', method: 'POST', path: '/api/sdk/v1/telemetry', auth: 'session', json: { events: [] }, status: 401 },
  { name: 'sdk control Go-encoded name', method: 'GET', path: '/api/sdk/v1/agents/conf+agent%2Feu/control', auth: 'viewer', status: 200 },
  { name: 'sdk halt agent as viewer 403', method: 'POST', path: '/api/sdk/agents/conf+agent%2Feu/halt', auth: 'viewer', json: { reason: 'x' }, status: 403 },
  { name: 'sdk halt agent', method: 'POST', path: '/api/sdk/agents/conf+agent%2Feu/halt', auth: 'admin', json: { reason: 'conformance' }, status: 200 },
  { name: 'sdk telemetry of a halted agent 200 rejected', method: 'POST', path: '/api/sdk/v1/telemetry', auth: 'admin', json: { events: [{ type: 'trace_start', trace_id: 'conf-2', agent_name: 'conf agent/eu', timestamp: '2026-11-01T11:59:00Z' }] }, status: 200 },
  { name: 'sdk resume agent', method: 'POST', path: '/api/sdk/agents/conf%20agent%2Feu/resume', auth: 'admin', status: 200 },
  { name: 'sdk guardrail policy', method: 'PUT', path: '/api/sdk/agents/conf+agent%2Feu/guardrail-policy', auth: 'admin', json: { requireGuardrails: 'SOFT', guardrailSessionTtlSeconds: 600 }, status: 200 },
  { name: 'sdk guardrail policy bad TTL 400', method: 'PUT', path: '/api/sdk/agents/a/guardrail-policy', auth: 'admin', json: { guardrailSessionTtlSeconds: 0 }, status: 400 },
  { name: 'sdk team halt (control plane)', method: 'POST', path: '/__sandbox/team/halt', json: { reason: 'drill' }, status: 200 },
  { name: 'sdk team resume', method: 'POST', path: `/api/sdk/team/resume?teamId=${ACME_TEAM_ID}`, auth: 'session', status: 200 },
  { name: 'sdk agents list', method: 'GET', path: '/api/sdk/agents', auth: 'viewer', status: 200 },
  { name: 'sdk agent traces', method: 'GET', path: '/api/sdk/agents/conf+agent%2Feu/traces', auth: 'viewer', status: 200 },
  { name: 'sdk agent trace detail', method: 'GET', path: '/api/sdk/agents/conf+agent%2Feu/traces/conf-1', auth: 'viewer', status: 200 },
  { name: 'sdk feedback create 201', method: 'POST', path: '/api/sdk/v1/feedback', auth: 'admin', json: { execution_id: 'conf-1', rating: 4 }, status: 201 },
  { name: 'sdk feedback page', method: 'GET', path: '/api/sdk/v1/feedback?page=0&size=20&execution_id=conf-1', auth: 'admin', status: 200 },
  { name: 'sdk sentiment', method: 'POST', path: '/api/sdk/v1/sentiment', auth: 'admin', json: { text: 'Great, thanks!' }, status: 200 },
  { name: 'sdk costs', method: 'GET', path: '/api/sdk/v1/costs?from=2026-10-01&to=2026-11-01T12:00:00Z', auth: 'admin', status: 200 },
  { name: 'sdk metrics', method: 'GET', path: '/api/sdk/v1/metrics?name=m', auth: 'admin', status: 200 },
  { name: 'sdk webhook create 201', method: 'POST', path: '/api/sdk/v1/alerts/webhooks', auth: 'admin', json: { url: 'https://hooks.acme.test/c', secret: 'x' }, status: 201, capture: (b, _r, v) => (v.webhook = b.id) },
  { name: 'sdk webhooks list', method: 'GET', path: '/api/sdk/v1/alerts/webhooks', auth: 'admin', status: 200 },
  { name: 'sdk webhook delete 204', method: 'DELETE', path: (v) => `/api/sdk/v1/alerts/webhooks/${v.webhook}`, auth: 'admin', status: 204 },
  { name: 'sdk prompt create 201', method: 'POST', path: '/api/sdk/v1/prompts', auth: 'admin', json: { name: 'conf prompt', content: 'Hi {{name}}' }, status: 201 },
  { name: 'sdk prompt get by name', method: 'GET', path: '/api/sdk/v1/prompts/conf+prompt?version=1', auth: 'admin', status: 200 },
  { name: 'sdk prompts list', method: 'GET', path: '/api/sdk/v1/prompts', auth: 'admin', status: 200 },
  { name: 'sdk redteam scan 202', method: 'POST', path: '/api/sdk/v1/redteam/scan', auth: 'admin', json: (v: Vars) => ({ workflow_id: v.seededWf, categories: ['jailbreak'] }), status: 202, capture: (b, _r, v) => (v.scan = b.scan_id) },
  { name: 'sdk redteam scan status', method: 'GET', path: (v) => `/api/sdk/v1/redteam/scan/${v.scan}`, auth: 'admin', status: 200 },
  { name: 'sdk redteam unknown workflow 404', method: 'POST', path: '/api/sdk/v1/redteam/scan', auth: 'admin', json: { workflow_id: 'nope' }, status: 404 },
  { name: 'sdk evaluate', method: 'POST', path: '/api/sdk/v1/evaluate', auth: 'admin', json: { execution_id: 'conf-1' }, status: 200 },
  { name: 'sdk callback set', method: 'POST', path: '/api/sdk/v1/agents/conf+agent%2Feu/callback', auth: 'admin', json: { callback_url: 'https://agent.acme.test/cb' }, status: 200 },
  { name: 'sdk callback delete 204', method: 'DELETE', path: '/api/sdk/v1/agents/conf+agent%2Feu/callback', auth: 'admin', status: 204 },
  { name: 'sdk agent guardrail config', method: 'GET', path: '/api/sdk/v1/agents/conf+agent%2Feu/guardrails', auth: 'admin', status: 200 },
  { name: 'ebpf register 201', method: 'POST', path: '/api/sdk/v1/ebpf/register', auth: 'admin', json: { hostname: 'node-1', clusterName: 'prod', kernelVersion: '6.8', agentVersion: '1.1.0' }, status: 201, capture: (b, _r, v) => (v.probe = b.id) },
  { name: 'ebpf heartbeat', method: 'POST', path: (v) => `/api/sdk/v1/ebpf/probes/${v.probe}/heartbeat`, auth: 'admin', json: { processesMonitored: 1, llmCallsIntercepted: 2 }, status: 200 },
  { name: 'ebpf config', method: 'GET', path: (v) => `/api/sdk/v1/ebpf/probes/${v.probe}/config`, auth: 'admin', status: 200 },
  { name: 'monitoring config', method: 'GET', path: `/api/monitoring/teams/${ACME_TEAM_ID}/config`, auth: 'viewer', status: 200 },
  { name: 'monitoring config partial PUT', method: 'PUT', path: `/api/monitoring/teams/${ACME_TEAM_ID}/config`, auth: 'builder', json: { alertThresholds: { latencyThreshold: 6000 } }, status: 200 },
  { name: 'monitoring config PUT as viewer 403', method: 'PUT', path: `/api/monitoring/teams/${ACME_TEAM_ID}/config`, auth: 'viewer', json: { driftAlertEnabled: false }, status: 403 },
  { name: 'monitoring token usage', method: 'GET', path: `/api/monitoring/teams/${ACME_TEAM_ID}/token-usage`, auth: 'viewer', status: 200 },
  { name: 'monitoring token usage daily', method: 'GET', path: `/api/monitoring/teams/${ACME_TEAM_ID}/token-usage/daily?from=2026-10-25`, auth: 'viewer', status: 200 },
  { name: 'monitoring token usage by model', method: 'GET', path: `/api/monitoring/teams/${ACME_TEAM_ID}/token-usage/by-model`, auth: 'viewer', status: 200 },
  { name: 'monitoring anomalies', method: 'GET', path: `/api/monitoring/teams/${ACME_TEAM_ID}/anomalies?size=5`, auth: 'viewer', status: 200, capture: (b, _r, v) => (v.anomaly = b.content[0].id) },
  { name: 'monitoring drift alerts', method: 'GET', path: `/api/monitoring/teams/${ACME_TEAM_ID}/drift-alerts?driftType=TOKEN`, auth: 'viewer', status: 200 },
  { name: 'monitoring bulk acknowledge', method: 'POST', path: `/api/monitoring/teams/${ACME_TEAM_ID}/alerts/bulk-acknowledge`, auth: 'builder', json: (v: Vars) => ({ alertIds: [v.anomaly, 'nope'] }), status: 200 },
  { name: 'monitoring sentiment', method: 'GET', path: `/api/monitoring/teams/${ACME_TEAM_ID}/sentiment`, auth: 'viewer', status: 200 },
  { name: 'monitoring report create 201', method: 'POST', path: `/api/monitoring/teams/${ACME_TEAM_ID}/reports`, auth: 'builder', json: { name: 'Daily', frequency: 'DAILY', recipients: ['ops@acme.test'] }, status: 201, capture: (b, _r, v) => (v.report = b.id) },
  { name: 'monitoring reports list', method: 'GET', path: `/api/monitoring/teams/${ACME_TEAM_ID}/reports`, auth: 'viewer', status: 200 },
  { name: 'monitoring report update', method: 'PUT', path: (v) => `/api/monitoring/teams/${ACME_TEAM_ID}/reports/${v.report}`, auth: 'builder', json: { enabled: false }, status: 200 },
  { name: 'monitoring report delete 204', method: 'DELETE', path: (v) => `/api/monitoring/teams/${ACME_TEAM_ID}/reports/${v.report}`, auth: 'builder', status: 204 },
  // The 200 view lists client addresses, which differ between hosts (loopback vs msw): monitoring.test.ts covers it.
  { name: 'monitoring admin rate limits as builder 403', method: 'GET', path: '/api/monitoring/admin/rate-limits', auth: 'builder', status: 403 },
  { name: 'scim not served 404', method: 'GET', path: '/api/scim/v2/Users', auth: 'admin', status: 404 },
  { name: 'rate limit: Hobby uses its 60/min', method: 'GET', path: '/api/auth/me', auth: 'hobby', status: 200, untilExhausted: true },
  { name: 'rate limit: Hobby 61st request 429', method: 'GET', path: '/api/auth/me', auth: 'hobby', status: 429 },
  // Scenarios, per request (header or ?__scenario=) and server-wide over the control plane.
  { name: 'scenario expired-session: login still 200', method: 'POST', path: '/api/auth/login', headers: scenario('expired-session'), json: { email: 'viewer@acme.test', password: 'sandbox' }, status: 200, capture: (_b, r, v) => (v.session = String(r.headers['set-cookie']).split(';')[0]!) },
  { name: 'scenario expired-session: cookie 401 clears the cookie', method: 'GET', path: '/api/auth/me', auth: 'session', headers: scenario('expired-session'), status: 401 },
  { name: 'scenario expired-session: SDK token 401 revoked', method: 'GET', path: '/api/auth/me', auth: 'admin', headers: scenario('expired-session'), status: 401 },
  { name: 'scenario expired-session: anonymous real 401', method: 'GET', path: '/api/auth/me', headers: scenario('expired-session'), status: 401 },
  { name: 'scenario forbidden: write 403', method: 'POST', path: '/api/workflows', auth: 'admin', headers: scenario('forbidden'), json: { name: 'Blocked', teamId: ACME_TEAM_ID }, status: 403 },
  { name: 'scenario forbidden: read passes', method: 'GET', path: ACME_WORKFLOWS, auth: 'admin', headers: scenario('forbidden'), status: 200 },
  { name: 'scenario conflict: create 409', method: 'POST', path: '/api/workflows', auth: 'admin', headers: scenario('conflict'), json: { name: 'Dup', teamId: ACME_TEAM_ID }, status: 409 },
  { name: 'scenario conflict: cancel 409', method: 'POST', path: (v) => `/api/executions/${v.finishedEx}/cancel`, auth: 'admin', headers: scenario('conflict'), status: 409 },
  { name: 'scenario rate-limited: 429 with reset headers', method: 'GET', path: '/api/auth/me', auth: 'admin', headers: scenario('rate-limited'), status: 429 },
  { name: 'scenario server-error: 500', method: 'POST', path: '/api/workflows', auth: 'admin', headers: scenario('server-error'), json: { name: 'x', teamId: ACME_TEAM_ID }, status: 500 },
  { name: 'scenario server-error: unknown route 500', method: 'GET', path: '/api/no-such-route', auth: 'admin', headers: scenario('server-error'), status: 500 },
  { name: 'scenario server-error: /actuator untouched', method: 'GET', path: '/actuator/health', headers: scenario('server-error'), status: 200 },
  { name: 'scenario unavailable: 503 Retry-After', method: 'GET', path: ACME_WORKFLOWS, auth: 'viewer', headers: scenario('unavailable'), status: 503 },
  { name: 'scenario empty: no workflows', method: 'GET', path: ACME_WORKFLOWS, auth: 'admin', headers: scenario('empty'), status: 200 },
  { name: 'scenario empty: no credentials', method: 'GET', path: `/api/credentials?teamId=${ACME_TEAM_ID}`, auth: 'admin', headers: scenario('empty'), status: 200 },
  { name: 'scenario via ?__scenario=', method: 'GET', path: '/api/auth/me?__scenario=unavailable', auth: 'admin', status: 503 },
  { name: 'scenario stacked slow,server-error: latency then 500', method: 'GET', path: '/api/auth/me', auth: 'admin', headers: scenario('slow,server-error'), status: 500 },
  { name: 'scenario flaky: the same seeded failures, connection resets too', method: 'GET', path: '/api/auth/me', auth: 'admin', headers: scenario('flaky'), repeat: 40, status: 'mixed', includes: [200, 500, 502, 503, 'network-error'] },
  { name: 'scenario network-error: fetch rejects', method: 'GET', path: '/api/auth/me', auth: 'admin', headers: scenario('cut'), status: 'network-error' },
  { name: 'scenario stall: 504 once it ends', method: 'GET', path: '/api/auth/me', auth: 'admin', headers: scenario('hang'), status: 504 },
  { name: 'control plane: switch unavailable on', method: 'PUT', path: '/__sandbox/scenario', json: { names: ['unavailable'] }, status: 200 },
  { name: 'control plane: server-wide scenario answers 503', method: 'GET', path: '/api/auth/me', auth: 'admin', status: 503 },
  { name: 'control plane: scenario state', method: 'GET', path: '/__sandbox/scenario', status: 200 },
  { name: 'control plane: switch scenarios off', method: 'DELETE', path: '/__sandbox/scenario', status: 200 },
  { name: 'control plane: answers again', method: 'GET', path: '/api/auth/me', auth: 'admin', status: 200 },
  {
    name: 'journal of the scenario calls (durations aside)',
    method: 'GET',
    path: '/__sandbox/requests?path=/api/auth/me&limit=60',
    status: 200,
    // Request headers differ by host (express sees Host, Connection…): compare the rest of each entry.
    normalize: (body: { entries: Array<{ durationMs: number; request: unknown }> }) => ({
      ...body,
      entries: body.entries.map(({ durationMs: _ms, request: _request, ...entry }) => entry),
    }),
  },
  // After the journal row: a call the client gave up on is journaled differently by the hosts
  // (msw: the stall's 504 once the abort reaches the core; express: nothing until the stall ends).
  { name: 'scenario timeout: the client gives up', method: 'GET', path: '/api/auth/me', auth: 'admin', headers: scenario('timeout'), abortAfterMs: 200, status: 'aborted' },
  { name: 'scenario timeout: /actuator untouched', method: 'GET', path: '/actuator/health', headers: scenario('timeout'), status: 200 },
];

const TOKENS: Partial<Record<Auth, string>> = {
  admin: 'sdk_sandbox_admin',
  builder: 'sdk_sandbox_builder',
  operator: 'sdk_sandbox_operator',
  viewer: 'sdk_sandbox_viewer',
  hobby: 'sdk_sandbox_hobby',
  compliance: 'sdk_sandbox_compliance',
  unknown: 'sdk_not_a_token',
};
const COMPARED = [
  'content-type', 'content-disposition', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after',
  'x-request-id', 'allow', 'vary', 'access-control-allow-origin', 'access-control-allow-credentials',
  'access-control-expose-headers', 'access-control-allow-methods', 'access-control-allow-headers',
  'x-sandbox-scenario-applied',
];

interface Result {
  status: number | Failure;
  body: string;
  headers: Record<string, string | string[] | null>;
}

/** Ids from the seeded data (same seed, same ids in both sandboxes). */
function seededVars(sandbox: Sandbox): Vars {
  const { db, clock } = sandbox.state;
  const acme = db.workflows.all().filter((w) => w.teamId === ACME_TEAM_ID);
  return {
    seededWf: acme[0]!.id,
    hobbyWf: db.workflows.all().find((w) => w.teamId === HOBBY_TEAM_ID)!.id,
    finishedEx: db.executions.all().find((e) => e.teamId === ACME_TEAM_ID && isFinished(e, clock.now()))!.id,
    hobbyCred: db.credentials.all().find((c) => c.teamId === HOBBY_TEAM_ID)!.id,
    agentWf: acme.find((w) => w.nodes.some((n) => n.type === 'AI_AGENT'))!.id,
    plainWf: acme.find((w) => !w.nodes.some((n) => n.type === 'AI_AGENT'))!.id,
    hobbyChat: db.chatSessions.all().find((c) => c.teamId === HOBBY_TEAM_ID)!.id,
  };
}

async function send(base: string, row: Row, v: Vars): Promise<Result> {
  const headers: Record<string, string> = { ...row.headers };
  const token = row.auth && TOKENS[row.auth];
  if (token) headers.authorization = `Bearer ${token}`;
  if (row.auth === 'session') headers.cookie = v.session!;
  let body: string | undefined;
  const json = typeof row.json === 'function' ? (row.json as (v: Vars) => unknown)(v) : row.json;
  if (json !== undefined) [body, headers['content-type']] = [JSON.stringify(json), 'application/json'];
  if (row.raw) [body, headers['content-type']] = row.raw;
  const path = typeof row.path === 'function' ? row.path(v) : row.path;
  const controller = new AbortController();
  const timer = row.abortAfterMs === undefined ? undefined : setTimeout(() => controller.abort(), row.abortAfterMs);
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, { method: row.method, headers, body, signal: controller.signal });
  } catch (error) {
    // express resets the connection ('fetch failed'), msw answers Response.error() ('Failed to fetch').
    expect(error).toBeInstanceOf(controller.signal.aborted ? DOMException : TypeError);
    return { status: controller.signal.aborted ? 'aborted' : 'network-error', body: '', headers: {} };
  } finally {
    clearTimeout(timer);
  }
  let text = await response.text();
  if (row.normalize) text = JSON.stringify(row.normalize(JSON.parse(text)));
  const result: Result = { status: response.status, body: text, headers: {} };
  for (const name of COMPARED) result.headers[name] = response.headers.get(name);
  result.headers['set-cookie'] = response.headers.getSetCookie();
  if (row.measured) result.body = result.body.replace(/"durationMs":[0-9.e+-]+/g, '"durationMs":"(measured)"');
  return result;
}

/** Sends every row in order. @returns per row, its answers (one unless the row repeats) */
async function runTable(base: string, sandbox: Sandbox): Promise<Result[][]> {
  await sandbox.ready;
  const v = seededVars(sandbox);
  const results: Result[][] = [];
  for (const row of rows) {
    const answers: Result[] = [];
    for (let i = 0; i < (row.repeat ?? 1); i += 1) answers.push(await send(base, row, v));
    let result = answers.at(-1)!;
    for (let i = 0; row.untilExhausted && result.headers['x-ratelimit-remaining'] !== '0' && i < 100; i += 1) answers[answers.length - 1] = result = await send(base, row, v);
    if (typeof result.status === 'number' && result.status < 300 && row.capture) row.capture(result.body ? JSON.parse(result.body) : undefined, result, v);
    results.push(answers);
  }
  return results;
}

/**
 * Seed of both sandboxes. Any seed passes; this one (also scenarios-faults.test.ts's) draws a
 * short first `slow` latency, which keeps the table fast.
 */
const SEED = 27;
const make = () => createSandbox({ seed: SEED, now: TEST_NOW, scenarioDefinitions: DEFINITIONS.map((definition) => ({ definition, source: 'test/conformance.test.ts' })) });
const viaExpress = make();
const viaMsw = make();
const viaNode = make();
let expressResults: Result[][];
let mswResults: Result[][];
let nodeResults: Result[][];

/** Serves a node request listener on a loopback port for the table, then closes it. */
async function overLoopback(listener: RequestListener, sandbox: Sandbox): Promise<Result[][]> {
  const server = await new Promise<Server>((resolve) => {
    const s = createServer(listener).listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    return await runTable(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, sandbox);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

beforeAll(async () => {
  expressResults = await overLoopback(createApp(viaExpress), viaExpress);
  // The CLI's host: the same node request listener on node:http without express (issue 13).
  nodeResults = await overLoopback(createRequestListener(viaNode), viaNode);
  const msw = setupServer(...createHandlers(viaMsw));
  msw.listen({ onUnhandledRequest: 'error' });
  try {
    mswResults = await runTable('https://api.nodeloom.io', viaMsw);
  } finally {
    msw.close();
  }
}, 60_000);

describe('conformance: express, msw and the CLI\'s node:http host answer the same', () => {
  it('starts every sandbox from the same seeded ids', () => {
    expect(seededVars(viaMsw)).toEqual(seededVars(viaExpress));
    expect(seededVars(viaNode)).toEqual(seededVars(viaExpress));
  });

  it.each(rows.map((row, index) => [row.name, index] as const))('%s', (_name, index) => {
    const row = rows[index]!;
    const answers = expressResults[index]!;
    const outcomes = [...new Set(answers.map((answer) => answer.status))];
    if (row.status === 'mixed') expect(outcomes.length).toBeGreaterThan(1);
    else expect(answers.at(-1)!.status, answers.at(-1)!.body).toBe(row.status);
    if (row.includes) expect(outcomes).toEqual(expect.arrayContaining(row.includes));
    expect(mswResults[index]).toEqual(answers);
    expect(nodeResults[index]).toEqual(answers);
  });
});
