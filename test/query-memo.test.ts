import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { QUERY_MEMO_SIZE, QueryMemo } from '../src/core/query-memo.ts';
import type { AnyRoute } from '../src/core/route.ts';
import { call, testSandbox } from './helpers.ts';

describe('the query memo (validated query strings per route)', () => {
  const route = {} as AnyRoute;
  const other = {} as AnyRoute;

  it('binds a query string once per route and hands out the same frozen value', () => {
    const memo = new QueryMemo();
    let binds = 0;
    const bind = () => ({ page: ++binds });
    const first = memo.get(route, '?page=0', bind);
    expect(memo.get(route, '?page=0', bind)).toBe(first);
    expect(binds).toBe(1);
    expect(Object.isFrozen(first)).toBe(true);
    expect(memo.get(other, '?page=0', bind)).toEqual({ page: 2 });
    expect(memo.get(route, '?page=1', bind)).toEqual({ page: 3 });
  });

  it('does not remember a query that fails: it throws every time', () => {
    const memo = new QueryMemo();
    let binds = 0;
    const bind = () => {
      binds += 1;
      throw new Error('size must be at most 100');
    };
    expect(() => memo.get(route, '?size=1000', bind)).toThrow('size must be at most 100');
    expect(() => memo.get(route, '?size=1000', bind)).toThrow('size must be at most 100');
    expect(binds).toBe(2);
  });

  it(`keeps at most ${QUERY_MEMO_SIZE} query strings per route, dropping the oldest`, () => {
    const memo = new QueryMemo();
    let binds = 0;
    const bind = () => ({ n: ++binds });
    for (let i = 0; i <= QUERY_MEMO_SIZE; i += 1) memo.get(route, `?page=${i}`, bind);
    expect(binds).toBe(QUERY_MEMO_SIZE + 1);
    memo.get(route, `?page=${QUERY_MEMO_SIZE}`, bind); // still held
    expect(binds).toBe(QUERY_MEMO_SIZE + 1);
    memo.get(route, '?page=0', bind); // dropped: bound again
    expect(binds).toBe(QUERY_MEMO_SIZE + 2);
  });

  it('answers a repeated query the same, and an invalid one with the same 400 each time', async () => {
    const sandbox = testSandbox();
    const path = `/api/executions?teamId=${ACME_TEAM_ID}&status=FAILED&page=0&size=5`;
    const first = await call(sandbox, 'GET', path, { token: 'sdk_sandbox_admin' });
    const second = await call(sandbox, 'GET', path, { token: 'sdk_sandbox_admin' });
    expect(first.status).toBe(200);
    expect(second.text).toBe(first.text);
    const bad = `/api/executions?teamId=${ACME_TEAM_ID}&status=NOPE`;
    const a = await call(sandbox, 'GET', bad, { token: 'sdk_sandbox_admin' });
    const b = await call(sandbox, 'GET', bad, { token: 'sdk_sandbox_admin' });
    expect(a.status).toBe(400);
    expect(b.status).toBe(400);
    expect(JSON.parse(b.text).message).toBe(JSON.parse(a.text).message);
  });
});
