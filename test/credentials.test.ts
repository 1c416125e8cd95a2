import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID } from 'nodeloom-sandbox';
import { CONFIRMED_CREDENTIAL_TYPES, CREDENTIAL_TYPES } from '../fixtures/credential-catalog.ts';
import { maskedPreview, maskSecret } from '../src/resources/credentials/mask.ts';
import { call, login, TEST_NOW, testSandbox } from './helpers.ts';
import { ADMIN, BUILDER, HOBBY, CREDENTIAL_FIELDS, seeded, create, expectSpringError } from './credential-fixtures.ts';

describe('credential seed', () => {
  it('seeds 12 Acme and 3 Hobby credentials of catalogued types, all before the epoch', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const all = sandbox.state.db.credentials.all();
    expect(all.filter((c) => c.teamId === ACME_TEAM_ID)).toHaveLength(12);
    expect(all.filter((c) => c.teamId === HOBBY_TEAM_ID)).toHaveLength(3);
    const epoch = Date.parse(TEST_NOW);
    const catalogued = new Set(CREDENTIAL_TYPES.map((t) => t.type));
    for (const c of all) {
      expect(catalogued.has(c.type)).toBe(true);
      expect(Object.keys(c.data).length).toBeGreaterThan(0);
      expect(Date.parse(c.createdAt)).toBeLessThanOrEqual(Date.parse(c.updatedAt));
      expect(Date.parse(c.updatedAt)).toBeLessThan(epoch);
      if (c.lastTestedAt !== null) {
        expect(Date.parse(c.lastTestedAt)).toBeGreaterThanOrEqual(Date.parse(c.updatedAt));
        expect(Date.parse(c.lastTestedAt)).toBeLessThan(epoch);
        expect(['SUCCESS', 'FAILED']).toContain(c.testStatus);
      } else {
        expect(c.testStatus).toBeNull();
      }
    }
    expect(all.some((c) => c.testStatus === null)).toBe(true);
    expect(all.some((c) => c.testStatus === 'FAILED')).toBe(true);
    expect(seeded(sandbox, 'OpenAI production').data.apiKey).toMatch(/^sk-proj-[A-Za-z0-9]{40}$/);
    expect(Object.keys(seeded(sandbox, 'SendGrid SMTP relay').data)).toEqual(['host', 'port', 'username', 'password']);
  });

  it('seeds the same credentials for the same seed and other secrets for another seed', async () => {
    const a = testSandbox();
    const b = testSandbox();
    const c = testSandbox({ seed: 7 });
    await Promise.all([a.ready, b.ready, c.ready]);
    expect(JSON.stringify(a.state.db.credentials.all())).toBe(JSON.stringify(b.state.db.credentials.all()));
    expect(c.state.db.credentials.all().map((x) => x.name)).toEqual(a.state.db.credentials.all().map((x) => x.name));
    expect(seeded(c, 'OpenAI production').data.apiKey).not.toBe(seeded(a, 'OpenAI production').data.apiKey);
  });

  it('catalogues the four confirmed types and UPPER_SNAKE inferred ones without duplicates', () => {
    expect([...CONFIRMED_CREDENTIAL_TYPES].sort()).toEqual(['HTTP_BASIC', 'OPENAI', 'SLACK', 'SMTP']);
    const types = CREDENTIAL_TYPES.map((t) => t.type);
    expect(new Set(types).size).toBe(types.length);
    for (const type of types) expect(type).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    expect(types).toEqual(expect.arrayContaining(['ANTHROPIC', 'POSTGRES', 'GITHUB', 'OAUTH2', 'HTTP_HEADER']));
  });
});

describe('masking', () => {
  it('keeps a vendor prefix and the last 4 characters of long values and hides short ones', () => {
    expect(maskSecret('sk-proj-abcdefghijklmnopqrstuvwxyz')).toBe('sk-...wxyz');
    expect(maskSecret('xoxb-1234-5678-abcdefgh')).toBe('xoxb-...efgh');
    expect(maskSecret('AKIAABCDEFGHIJKLMNOP')).toBe('...MNOP');
    expect(maskSecret('hunter2')).toBe('****');
    expect(maskSecret('')).toBe('****');
    expect(maskedPreview({ host: 'smtp.example.com', port: '587' })).toEqual({ host: '....com', port: '****' });
  });
});

describe('GET /api/credentials', () => {
  it('returns a plain array of the team credentials newest first with the documented fields', async () => {
    const sandbox = testSandbox();
    const response = await call(sandbox, 'GET', `/api/credentials?teamId=${ACME_TEAM_ID}`, { token: ADMIN });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(Array.isArray(response.json)).toBe(true);
    expect(response.json).toHaveLength(12);
    for (const item of response.json) {
      expect(Object.keys(item)).toEqual(CREDENTIAL_FIELDS);
      expect(item.teamId).toBe(ACME_TEAM_ID);
    }
    const created = response.json.map((c: { createdAt: string }) => c.createdAt);
    expect(created).toEqual([...created].sort().reverse());
  });

  it('lets a token omit teamId and uses its own team', async () => {
    const sandbox = testSandbox();
    const hobby = await call(sandbox, 'GET', '/api/credentials', { token: HOBBY });
    expect(hobby.status).toBe(200);
    expect(hobby.json.map((c: { name: string }) => c.name).sort()).toEqual(['Discord bot', 'Google Sheets (weekend budget)', 'My OpenAI key']);
  });

  it('returns 400 given a cookie caller without teamId', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'builder@acme.test');
    const response = await call(sandbox, 'GET', '/api/credentials', { cookie });
    expectSpringError(response, 400, '/api/credentials');
    expect(response.json.message).toContain('teamId');
  });

  it('filters by type, case-insensitively', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'builder@acme.test');
    const response = await call(sandbox, 'GET', `/api/credentials?teamId=${ACME_TEAM_ID}&type=openai`, { cookie });
    expect(response.status).toBe(200);
    expect(response.json.map((c: { name: string }) => c.name).sort()).toEqual(['OpenAI production', 'OpenAI staging']);
    const none = await call(sandbox, 'GET', `/api/credentials?teamId=${ACME_TEAM_ID}&type=NO_SUCH_TYPE`, { cookie });
    expect(none.json).toEqual([]);
  });

  it('returns 403 given an operator or a viewer, by cookie or token', async () => {
    const sandbox = testSandbox();
    for (const email of ['operator@acme.test', 'viewer@acme.test']) {
      const cookie = await login(sandbox, email);
      const response = await call(sandbox, 'GET', `/api/credentials?teamId=${ACME_TEAM_ID}`, { cookie });
      expectSpringError(response, 403, '/api/credentials');
      expect(response.json.message).toContain('BUILDER');
    }
    for (const token of ['sdk_sandbox_operator', 'sdk_sandbox_viewer']) {
      expect((await call(sandbox, 'GET', '/api/credentials', { token })).status).toBe(403);
    }
  });

  it('returns 403 given a team the caller is not in', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'builder@acme.test');
    expect((await call(sandbox, 'GET', `/api/credentials?teamId=${HOBBY_TEAM_ID}`, { cookie })).status).toBe(403);
    expect((await call(sandbox, 'GET', `/api/credentials?teamId=${HOBBY_TEAM_ID}`, { token: ADMIN })).status).toBe(403);
  });

  it('returns 401 without credentials', async () => {
    const sandbox = testSandbox();
    expectSpringError(await call(sandbox, 'GET', `/api/credentials?teamId=${ACME_TEAM_ID}`), 401, '/api/credentials');
  });
});

describe('POST /api/credentials', () => {
  it('creates a credential and answers 201 without its data', async () => {
    const sandbox = testSandbox();
    const response = await create(sandbox, { name: 'Ops OpenAI', type: 'OPENAI', teamId: ACME_TEAM_ID, data: { apiKey: 'sk-ops-0123456789abcdefWXYZ' } });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({
      name: 'Ops OpenAI',
      type: 'OPENAI',
      teamId: ACME_TEAM_ID,
      createdAt: TEST_NOW,
      updatedAt: TEST_NOW,
      lastTestedAt: null,
      testStatus: null,
      maskedPreview: { apiKey: 'sk-...WXYZ' },
    });
    expect(response.json.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.json).not.toHaveProperty('data');
    const list = await call(sandbox, 'GET', '/api/credentials', { token: BUILDER });
    expect(list.json[0].id).toBe(response.json.id);
    expect(sandbox.state.db.credentials.get(response.json.id)?.data).toEqual({ apiKey: 'sk-ops-0123456789abcdefWXYZ' });
  });

  it('takes the team from the body for a cookie caller and records the creator', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'owner@hobby.test');
    const response = await call(sandbox, 'POST', '/api/credentials', {
      cookie,
      body: { name: 'Mailer', type: 'SMTP', teamId: HOBBY_TEAM_ID, data: { host: 'smtp.example.com', port: '587', username: 'me', password: 'p' } },
    });
    expect(response.status).toBe(201);
    expect(response.json.teamId).toBe(HOBBY_TEAM_ID);
    expect(response.json.maskedPreview).toEqual({ host: '....com', port: '****', username: '****', password: '****' });
    expect(sandbox.state.db.credentials.get(response.json.id)?.createdBy).toBe('00000000-0000-4000-8000-0000000b0001');
  });

  it('accepts any non-empty type string and keeps it as sent', async () => {
    const sandbox = testSandbox();
    const response = await create(sandbox, { name: 'Odd', type: 'my-custom type', data: { key: 'value' } });
    expect(response.status).toBe(201);
    expect(response.json.type).toBe('my-custom type');
  });

  it.each([
    [{ type: 'OPENAI', data: { apiKey: 'x' } }, 'Credential name is required'],
    [{ name: '   ', type: 'OPENAI', data: { apiKey: 'x' } }, 'Credential name is required'],
    [{ name: 'n', data: { apiKey: 'x' } }, 'Credential type is required'],
    [{ name: 'n', type: '', data: { apiKey: 'x' } }, 'Credential type is required'],
    [{ name: 'n', type: 'OPENAI' }, 'Credential data is required'],
  ])('returns 400 given a missing field (%j)', async (body, message) => {
    const sandbox = testSandbox();
    const response = await create(sandbox, body);
    expectSpringError(response, 400, '/api/credentials');
    expect(response.json.message).toBe(message);
    expect(sandbox.state.db.credentials.count()).toBe(15);
  });

  it('returns 400 naming the field given a non-string data value', async () => {
    const sandbox = testSandbox();
    const response = await create(sandbox, { name: 'n', type: 'OPENAI', data: { apiKey: 42 } });
    expectSpringError(response, 400, '/api/credentials');
    expect(response.json.message).toContain('data.apiKey');
  });

  it('returns 400 given data that is not an object or is empty', async () => {
    const sandbox = testSandbox();
    for (const data of ['sk-123', ['a'], {}]) {
      const response = await create(sandbox, { name: 'n', type: 'OPENAI', data });
      expectSpringError(response, 400, '/api/credentials');
      expect(response.json.message).toMatch(/^Credential data must/);
    }
  });

  it('returns 400 given a cookie caller without teamId in the body', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'builder@acme.test');
    const response = await call(sandbox, 'POST', '/api/credentials', { cookie, body: { name: 'n', type: 'OPENAI', data: { apiKey: 'k' } } });
    expectSpringError(response, 400, '/api/credentials');
    expect(response.json.message).toContain('"teamId"');
  });

  it('returns 403 given an operator token or another team in the body', async () => {
    const sandbox = testSandbox();
    const body = { name: 'n', type: 'OPENAI', data: { apiKey: 'k' } };
    expect((await create(sandbox, body, 'sdk_sandbox_operator')).status).toBe(403);
    expect((await create(sandbox, { ...body, teamId: HOBBY_TEAM_ID }, ADMIN)).status).toBe(403);
    expect(sandbox.state.db.credentials.count()).toBe(15);
  });
});
