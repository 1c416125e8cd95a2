import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/openapi/index.ts';
import { call, testSandbox } from './helpers.ts';
import { documentValidator } from './openapi-helpers.ts';
import { ADMIN, sendBatch, simpleTrace } from './sdk-fixtures.ts';

/**
 * Answer schemas stay open (no `additionalProperties: false`): an execution made from SDK
 * telemetry carries node fields the seeded executions do not (`spanType`, `tokenUsage`, …), and its
 * detail must still match the documented schema of `GET /api/executions/{id}`.
 */
describe('documented answer schemas accept fields beyond the declared ones', () => {
  it('validates the detail of an SDK-reported execution against the document', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const sent = await sendBatch(sandbox, simpleTrace('open-schema-trace', 'support-agent'));
    expect(sent.status).toBe(200);
    const record = sandbox.state.db.executions.all().find((e) => e.sdk?.traceId === 'open-schema-trace')!;
    const detail = await call(sandbox, 'GET', `/api/executions/${record.id}`, { token: ADMIN });
    expect(detail.status).toBe(200);
    const node = (detail.json as { nodeExecutions: Array<Record<string, unknown>> }).nodeExecutions[0]!;
    expect(Object.keys(node)).toContain('spanType');
    const validate = documentValidator(openApiDocument() as Record<string, unknown>).at(
      'paths', '/api/executions/{id}', 'get', 'responses', '200', 'content', 'application/json', 'schema',
    );
    expect(validate(detail.json), JSON.stringify(validate.errors)).toBe(true);
  });

  it('has no closed object in any answer schema', () => {
    const document = openApiDocument() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const closed: string[] = [];
    const walk = (value: unknown, where: string) => {
      if (!value || typeof value !== 'object') return;
      if ((value as { additionalProperties?: unknown }).additionalProperties === false) closed.push(where);
      for (const [key, child] of Object.entries(value)) walk(child, `${where}/${key}`);
    };
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) walk(operation.responses, `${method} ${path}`);
    }
    expect(closed).toEqual([]);
  });
});
