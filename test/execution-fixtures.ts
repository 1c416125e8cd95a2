import { ACME_TEAM_ID, HOBBY_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import type { ExecutionRecord } from '../src/resources/executions/records.ts';
import { TEST_NOW, testSandbox } from './helpers.ts';

/**
 * Small, readable execution fixtures for the /api/executions tests. The sandbox's seeded history is
 * cleared first, so the tests do not depend on what the seed holds.
 */

export const NOW = Date.parse(TEST_NOW); // 2026-11-01T12:00:00.000Z
export const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
export const SEC = 1000;
export const HOUR = 3_600_000;
export const ADMIN = 'sdk_sandbox_admin';

/** A stored execution `createdMs` from TEST_NOW: a trigger node, then an HTTP node that ends it. */
export function execution(
  id: string,
  createdMs: number,
  o: Partial<Pick<ExecutionRecord, 'teamId' | 'workflowId' | 'workflowName' | 'durationMs' | 'outcome' | 'errorMessage' | 'cancelledAt'>> & {
    startDelayMs?: number;
  } = {},
): ExecutionRecord {
  const durationMs = o.durationMs ?? 4000;
  const outcome = o.outcome ?? 'SUCCESS';
  const errorMessage = outcome === 'FAILED' ? (o.errorMessage ?? 'HTTP 502') : null;
  return {
    id,
    teamId: o.teamId ?? ACME_TEAM_ID,
    workflowId: o.workflowId ?? 'wf-1',
    workflowName: o.workflowName ?? 'Order sync',
    workflowVersion: 3,
    triggerType: 'WEBHOOK',
    createdAt: at(createdMs),
    startedAt: at(createdMs + (o.startDelayMs ?? 100)),
    durationMs,
    outcome,
    inputData: { orderId: 42 },
    outputData: outcome === 'SUCCESS' ? { synced: true } : null,
    errorMessage,
    cancelledAt: o.cancelledAt ?? null,
    nodes: [
      { nodeId: 'n1', nodeName: 'Webhook Trigger', nodeType: 'WEBHOOK_TRIGGER', offsetMs: 0, durationMs: 10, outcome: 'SUCCESS', input: {}, output: { orderId: 42 }, errorMessage: null },
      { nodeId: 'n2', nodeName: 'HTTP Request', nodeType: 'HTTP_REQUEST', offsetMs: 10, durationMs: durationMs - 10, outcome, input: { orderId: 42 }, output: outcome === 'SUCCESS' ? { status: 200 } : null, errorMessage },
    ],
  };
}

export const QUOTED_NAME = 'Quotes, "the" report';
/** Acme, newest first: E (PENDING), D (RUNNING), C (FAILED), B2 and B (SUCCESS, same createdAt), A (CANCELLED); plus one Hobby. */
export const FIXTURES = [
  execution('ex-a-cancelled', -24 * HOUR, { workflowId: 'wf-2', workflowName: QUOTED_NAME, durationMs: 10 * SEC, cancelledAt: at(-24 * HOUR + 2 * SEC) }),
  execution('ex-b-success', -3 * HOUR),
  execution('ex-b2-success', -3 * HOUR),
  execution('ex-c-failed', -2 * HOUR, { workflowId: 'wf-2', workflowName: QUOTED_NAME, outcome: 'FAILED', errorMessage: 'Upstream said "no",\nretry later' }),
  execution('ex-d-running', -10 * SEC, { startDelayMs: SEC, durationMs: 60 * SEC }),
  execution('ex-e-pending', -1 * SEC, { startDelayMs: 6 * SEC, durationMs: 10 * SEC }),
  execution('ex-h-hobby', -1 * HOUR, { teamId: HOBBY_TEAM_ID, workflowId: 'wf-h', workflowName: 'Plant watering' }),
];
export const ACME_NEWEST_FIRST = ['ex-e-pending', 'ex-d-running', 'ex-c-failed', 'ex-b2-success', 'ex-b-success', 'ex-a-cancelled'];

/** A test sandbox whose executions are exactly `records` (the seeded history is cleared). */
export async function sandboxWith(records: ExecutionRecord[] = FIXTURES): Promise<Sandbox> {
  const sandbox = testSandbox();
  await sandbox.ready;
  sandbox.state.db.executions.clear();
  for (const record of records) await sandbox.state.db.executions.insert(record);
  return sandbox;
}

export const ids = (body: { content: Array<{ id: string }> }) => body.content.map((item) => item.id);

/** A minimal RFC 4180 reader for checking the export (quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}
