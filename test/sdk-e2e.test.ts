import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { COST_UNITS_PER_USD } from '../src/resources/monitoring/prices.ts';
import { call, login, testSandbox } from './helpers.ts';
import { sendBatch, span, t, traceEnd, traceStart } from './sdk-fixtures.ts';

/**
 * End to end (nodeloom-api.md 3.11 → 3.3 → 3.7): an SDK's telemetry for a new agent becomes an
 * execution the dashboard lists, its tokens appear in monitoring and costs, and a halt through the
 * control plane turns the next batch away and says so in `control`.
 */

const units = (usd: number) => Math.round(usd * COST_UNITS_PER_USD);

describe('an SDK agent from telemetry to monitoring to halt', () => {
  it('shows the trace in the dashboard and monitoring, then refuses the agent once halted', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const cookie = await login(sandbox, 'viewer@acme.test');
    const usage = async () => {
      const base = `/api/monitoring/teams/${ACME_TEAM_ID}`;
      const [totals, byModel, daily, costs] = await Promise.all([
        call(sandbox, 'GET', `${base}/token-usage`, { cookie }),
        call(sandbox, 'GET', `${base}/token-usage/by-model`, { cookie }),
        call(sandbox, 'GET', `${base}/token-usage/daily`, { cookie }),
        call(sandbox, 'GET', '/api/sdk/v1/costs', { token: 'sdk_sandbox_viewer' }),
      ]);
      return { totals: totals.json, byModel: byModel.json.models, today: daily.json.days.at(-1), costs: costs.json };
    };
    const before = await usage();

    // 1. A batch for a new agent: two spans with token usage on two models, and the trace's end.
    const batch = await sendBatch(sandbox, [
      traceStart('e2e-trace', 'refund-agent', { input: { ticket: 'T-1' } }),
      span('e2e-trace', 'plan', { span_type: 'chain', token_usage: undefined, timestamp: t(-59_500), end_timestamp: t(-58_500) }),
      span('e2e-trace', 'draft', { parent_span_id: 'plan', token_usage: { prompt_tokens: 1500, completion_tokens: 500, total_tokens: 2000, model: 'gpt-4' }, timestamp: t(-59_000), end_timestamp: t(-58_000) }),
      span('e2e-trace', 'check', { parent_span_id: 'plan', span_type: 'llm', token_usage: { prompt_tokens: 800, completion_tokens: 200, total_tokens: 1000, model: 'gpt-3.5-turbo' }, timestamp: t(-57_900), end_timestamp: t(-57_500) }),
      traceEnd('e2e-trace', { timestamp: t(-57_000) }),
    ]);
    expect(batch.json).toMatchObject({ accepted: 5, rejected: 0, control: { agent_name: 'refund-agent', halted: false } });

    // 2. The dashboard: the virtual workflow, the execution and its spans as node executions.
    const workflows = await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}&search=refund-agent`, { cookie });
    expect(workflows.json.content).toEqual([expect.objectContaining({ name: 'refund-agent', lastExecutionStatus: 'SUCCESS' })]);
    const executions = await call(sandbox, 'GET', `/api/executions?teamId=${ACME_TEAM_ID}&workflowId=${workflows.json.content[0].id}`, { cookie });
    expect(executions.json.content).toEqual([expect.objectContaining({ workflowName: 'refund-agent', status: 'SUCCESS', triggerType: 'SDK', nodeCount: 3, durationMs: 3000 })]);
    const detail = await call(sandbox, 'GET', `/api/executions/${executions.json.content[0].id}`, { cookie });
    expect(detail.json).toMatchObject({ inputData: { ticket: 'T-1' }, trigger: 'SDK', sdkTrace: { traceId: 'e2e-trace', agentName: 'refund-agent', tokenUsage: { inputTokens: 2300, outputTokens: 700 } } });
    expect(detail.json.nodeExecutions.map((n: { nodeId: string; nodeType: string; parentNodeId: string | null }) => [n.nodeId, n.nodeType, n.parentNodeId])).toEqual([
      ['plan', 'CHAIN', null],
      ['draft', 'LLM', 'plan'],
      ['check', 'LLM', 'plan'],
    ]);

    // 3. Monitoring and costs include exactly its tokens, priced per model (D-TOK):
    //    gpt-4 1500 × 0.03/1K + 500 × 0.06/1K = 0.075; gpt-3.5-turbo 800 × 0.0005/1K + 200 × 0.0015/1K = 0.0007.
    const after = await usage();
    expect(after.totals.totalInputTokens - before.totals.totalInputTokens).toBe(2300);
    expect(after.totals.totalOutputTokens - before.totals.totalOutputTokens).toBe(700);
    expect(units(after.totals.totalCost) - units(before.totals.totalCost)).toBe(units(0.0757));
    expect(after.today.inputTokens - before.today.inputTokens).toBe(2300);
    expect(units(after.costs.total_cost) - units(before.costs.total_cost)).toBe(units(0.0757));
    expect(after.byModel.find((m: { model: string }) => m.model === 'gpt-4')).toEqual({ model: 'gpt-4', inputTokens: 1500, outputTokens: 500, cost: 0.075, executionCount: 1 });
    expect(after.byModel.find((m: { model: string }) => m.model === 'gpt-3.5-turbo')).toEqual({ model: 'gpt-3.5-turbo', inputTokens: 800, outputTokens: 200, cost: 0.0007, executionCount: 1 });

    // 4. A halt through the control plane: the next batch is refused and `control` says why.
    expect((await call(sandbox, 'POST', '/__sandbox/agents/refund-agent/halt', { body: { reason: 'refund loop' } })).status).toBe(200);
    const refused = await sendBatch(sandbox, [traceStart('e2e-2', 'refund-agent'), span('e2e-2', 's'), traceEnd('e2e-2')]);
    expect(refused.status).toBe(200);
    expect(refused.json).toMatchObject({
      accepted: 0,
      rejected: 3,
      control: { agent_name: 'refund-agent', halted: true, halt_source: 'agent', halt_reason: 'refund loop', revision: 1 },
    });
    expect(refused.json.errors[0].error).toContain('refund loop');
    expect((await usage()).totals.totalInputTokens).toBe(after.totals.totalInputTokens);
  });
});
