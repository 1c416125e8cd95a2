import { describe, expect, it } from 'vitest';
import { MAX_RATE_KEYS, RateLimiter, WINDOW_MS } from '../src/core/rate-limit.ts';
import { MAX_JOURNAL_TEXT } from '../src/core/journal.ts';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { call, expectSpringError, testSandbox } from './helpers.ts';

const MINUTE = Date.parse('2026-11-01T12:00:00.000Z');

describe('rate-limit windows do not pile up', () => {
  it('drops the windows of past minutes as new windows open', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 5_000; i++) limiter.hit(`address:10.0.${i >> 8}.${i & 255}`, 60, MINUTE + 10);
    expect(limiter.size).toBe(5_000);
    limiter.hit('user:one', 60, MINUTE + WINDOW_MS + 5);
    expect(limiter.size).toBe(1);
    expect(limiter.entries()).toEqual([['user:one', MINUTE + WINDOW_MS, 1]]);
  });

  it('keeps counting a key whose window is current while older ones are dropped', () => {
    const limiter = new RateLimiter();
    limiter.hit('old', 60, MINUTE);
    limiter.hit('kept', 60, MINUTE + WINDOW_MS);
    limiter.hit('kept', 60, MINUTE + WINDOW_MS + 1);
    limiter.hit('new', 60, MINUTE + WINDOW_MS + 2);
    expect(limiter.entries()).toEqual([
      ['kept', MINUTE + WINDOW_MS, 2],
      ['new', MINUTE + WINDOW_MS, 1],
    ]);
    expect(limiter.hit('kept', 60, MINUTE + WINDOW_MS + 3).remaining).toBe(57);
  });

  it(`holds at most ${MAX_RATE_KEYS} keys within one minute, dropping the earliest opened`, () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < MAX_RATE_KEYS + 10; i++) limiter.hit(`address:${i}`, 60, MINUTE);
    expect(limiter.size).toBe(MAX_RATE_KEYS);
    const keys = limiter.entries().map(([key]) => key);
    expect(keys[0]).toBe('address:10');
    expect(keys.at(-1)).toBe(`address:${MAX_RATE_KEYS + 9}`);
  });

  it('keeps one window per caller across many minutes of requests through the sandbox', async () => {
    const sandbox = testSandbox();
    for (let minute = 0; minute < 30; minute++) {
      await call(sandbox, 'GET', '/api/auth/me', { clientAddress: `10.1.0.${minute}` });
      sandbox.clock.advance('1m');
    }
    await call(sandbox, 'GET', '/api/auth/me', { clientAddress: '10.2.0.1' });
    expect(sandbox.state.rateLimiter.size).toBe(1);
  });
});

describe('journal entries stay small', () => {
  it('keeps at most 2,048 characters of a 12,000-character query string, marked as truncated', async () => {
    const sandbox = testSandbox();
    const query = `?search=${'q'.repeat(12_000)}`;
    expect((await call(sandbox, 'GET', `/api/workflows${query}`, { token: 'sdk_sandbox_admin' })).status).toBe(200);
    const [entry] = sandbox.journal.list();
    expect(entry!.path).toBe('/api/workflows');
    expect(entry!.query).toBe(`${query.slice(0, MAX_JOURNAL_TEXT)}…[truncated from ${query.length} chars]`);
  });

  it('truncates a long path the same way and still finds it by prefix', async () => {
    const sandbox = testSandbox();
    const path = `/api/workflows/${'w'.repeat(5_000)}`;
    await call(sandbox, 'GET', path, { token: 'sdk_sandbox_admin' });
    const [entry] = sandbox.journal.list({ path: '/api/workflows/*' });
    expect(entry!.path.length).toBeLessThan(MAX_JOURNAL_TEXT + 40);
    expect(entry!.path).toMatch(/…\[truncated from 5015 chars\]$/);
    expect((await call(sandbox, 'GET', '/__sandbox/requests?path=/api/workflows/*')).json.entries).toHaveLength(1);
  });
});

describe('names and descriptions have length limits', () => {
  const ADMIN = { token: 'sdk_sandbox_admin' };
  const count = async (sandbox: ReturnType<typeof testSandbox>) =>
    (await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`, ADMIN)).json.totalElements as number;

  it('answers 400 naming the field and the limit for a 1 MB workflow name, and stores nothing', async () => {
    const sandbox = testSandbox();
    const before = await count(sandbox);
    for (const name of ['n'.repeat(1024 * 1024), 'n'.repeat(256)]) {
      const response = await call(sandbox, 'POST', '/api/workflows', { ...ADMIN, body: { name, teamId: ACME_TEAM_ID } });
      expect(expectSpringError(response, 400, 'Bad Request', '/api/workflows')).toBe('Workflow name must be at most 255 characters');
    }
    expect(await count(sandbox)).toBe(before);
    const padded = await call(sandbox, 'POST', '/api/workflows', { ...ADMIN, body: { name: ` ${'n'.repeat(255)} `, teamId: ACME_TEAM_ID } });
    expect(padded.status).toBe(201); // the limit applies after trimming
  });

  it('answers 400 naming the field and the limit for a workflow description over 2,000 characters, on create and update', async () => {
    const sandbox = testSandbox();
    const long = { description: 'd'.repeat(2001) };
    const created = await call(sandbox, 'POST', '/api/workflows', { ...ADMIN, body: { name: 'Described', teamId: ACME_TEAM_ID, ...long } });
    expect(expectSpringError(created, 400, 'Bad Request', '/api/workflows')).toBe('Workflow description must be at most 2000 characters');
    const ok = await call(sandbox, 'POST', '/api/workflows', { ...ADMIN, body: { name: 'Described', teamId: ACME_TEAM_ID, description: 'd'.repeat(2000) } });
    expect(ok.status).toBe(201);
    const updated = await call(sandbox, 'PUT', `/api/workflows/${ok.json.id}`, { ...ADMIN, body: { ...long, name: 'x'.repeat(300) } });
    expect(updated.status).toBe(400);
    expect((await call(sandbox, 'GET', `/api/workflows/${ok.json.id}`, ADMIN)).json.description).toBe('d'.repeat(2000));
  });

  it('answers 400 naming the field and the limit for a credential name over 255 or type over 100 characters', async () => {
    const sandbox = testSandbox();
    const body = { name: 'k', type: 'OPENAI', teamId: ACME_TEAM_ID, data: { apiKey: 'sk-1' } };
    const name = await call(sandbox, 'POST', '/api/credentials', { ...ADMIN, body: { ...body, name: 'k'.repeat(1024 * 1024) } });
    expect(expectSpringError(name, 400, 'Bad Request', '/api/credentials')).toBe('Credential name must be at most 255 characters');
    const type = await call(sandbox, 'POST', '/api/credentials', { ...ADMIN, body: { ...body, type: 'T'.repeat(101) } });
    expect(expectSpringError(type, 400, 'Bad Request', '/api/credentials')).toBe('Credential type must be at most 100 characters');
  });
});
