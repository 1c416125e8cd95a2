import { describe, expect, it, vi } from 'vitest';
import { parseDuration } from '../src/core/duration.ts';
import { ACME_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { call, login, TEST_NOW, testSandbox } from './helpers.ts';
import { createClock } from '../src/core/clock.ts';

const admin = { token: 'sdk_sandbox_admin' };
const START = Date.parse(TEST_NOW);

const clockOf = async (sandbox: Sandbox) => (await call(sandbox, 'GET', '/__sandbox/clock')).json;
const advance = (sandbox: Sandbox, ms: number | string) => call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { ms } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GET and PUT /__sandbox/clock', () => {
  it('freezes a running clock at exactly the time given while real time moves', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    await call(sandbox, 'PUT', '/__sandbox/clock', { body: { frozen: false } });
    // Real time moves 1 ms at every read: freezing must not read the running clock a second time.
    let real = Date.now();
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => ++real);
    try {
      const frozen = await call(sandbox, 'PUT', '/__sandbox/clock', { body: { frozen: true, at: '2027-01-01T00:00:00Z' } });
      expect(frozen.json).toEqual({ now: '2027-01-01T00:00:00.000Z', epochMs: Date.parse('2027-01-01T00:00:00Z'), frozen: true });
    } finally {
      spy.mockRestore();
    }
    expect(await clockOf(sandbox)).toEqual({ now: '2027-01-01T00:00:00.000Z', epochMs: Date.parse('2027-01-01T00:00:00Z'), frozen: true });
  });

  it('reads the start time, frozen, as ISO-8601 and epoch ms', async () => {
    expect(await clockOf(testSandbox())).toEqual({ now: TEST_NOW, epochMs: START, frozen: true });
  });

  it('runs in real time after {frozen: false} and stops again after {frozen: true}', async () => {
    const sandbox = testSandbox();
    const running = await call(sandbox, 'PUT', '/__sandbox/clock', { body: { frozen: false } });
    expect(running.json).toMatchObject({ frozen: false });
    await sleep(25);
    const later = await clockOf(sandbox);
    expect(later.epochMs).toBeGreaterThanOrEqual(START + 20);
    expect(later.epochMs).toBeLessThan(START + 5_000);
    const stopped = (await call(sandbox, 'PUT', '/__sandbox/clock', { body: { frozen: true } })).json;
    await sleep(10);
    expect(await clockOf(sandbox)).toEqual(stopped);
    expect(sandbox.clock.frozen).toBe(true);
  });

  it('jumps to {at} given as ISO-8601 or epoch ms, forwards or backwards, staying frozen', async () => {
    const sandbox = testSandbox();
    const forward = await call(sandbox, 'PUT', '/__sandbox/clock', { body: { at: '2027-01-01T00:00:00Z' } });
    expect(forward.json).toEqual({ now: '2027-01-01T00:00:00.000Z', epochMs: Date.parse('2027-01-01T00:00:00Z'), frozen: true });
    const back = await call(sandbox, 'PUT', '/__sandbox/clock', { body: { at: START - 3_600_000 } });
    expect(back.json.now).toBe('2026-11-01T11:00:00.000Z');
    expect(sandbox.clock.iso()).toBe('2026-11-01T11:00:00.000Z');
  });

  it('takes every one-decimal duration string as whole milliseconds (0.1 to 49.9 of s, m, h, d, w)', () => {
    const unitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
    for (let tenths = 1; tenths < 500; tenths++) {
      for (const [unit, size] of Object.entries(unitMs)) {
        const parsed = parseDuration(`${tenths / 10}${unit}`);
        expect(parsed).toBe(Math.round((tenths * size) / 10));
      }
    }
  });

  it.each([
    [61_000, '2026-11-01T12:01:01.000Z'],
    ['61s', '2026-11-01T12:01:01.000Z'],
    ['2h', '2026-11-01T14:00:00.000Z'],
    ['500ms', '2026-11-01T12:00:00.500Z'],
    // Decimal strings are rounded to the millisecond (`ms` gives 3960000.0000000005 for 1.1h).
    ['1.1h', '2026-11-01T13:06:00.000Z'],
    ['4.1m', '2026-11-01T12:04:06.000Z'],
    ['1.5ms', '2026-11-01T12:00:00.002Z'],
  ])('advances by {ms: %j}', async (ms, expected) => {
    const sandbox = testSandbox();
    const answer = await advance(sandbox, ms);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ now: expected, epochMs: Date.parse(expected), frozen: true });
  });

  it.each([
    ['POST', '/__sandbox/clock/advance', { ms: -1 }, 'The clock only moves forward, got -1: to go back, set the time with PUT /__sandbox/clock'],
    ['POST', '/__sandbox/clock/advance', { ms: '-5s' }, 'The clock only moves forward, got "-5s"'],
    ['POST', '/__sandbox/clock/advance', { ms: 'soon' }, 'Invalid duration'],
    ['POST', '/__sandbox/clock/advance', { ms: true }, 'ms'],
    ['POST', '/__sandbox/clock/advance', {}, 'ms'],
    ['POST', '/__sandbox/clock/advance', '{"ms":', 'Malformed JSON'],
    ['PUT', '/__sandbox/clock', {}, 'frozen'],
    ['PUT', '/__sandbox/clock', { at: 'garbage' }, 'at'],
    // Impossible dates are refused, not rolled over (Date.parse reads 2026-02-30 as 2 March).
    ['PUT', '/__sandbox/clock', { at: '2026-02-30T00:00:00Z' }, 'at must be epoch milliseconds or an ISO-8601 time'],
    ['PUT', '/__sandbox/clock', { at: '2026-11-01T24:00:00Z' }, 'at must be'],
    // A local time is ambiguous: the message says what is missing, as --now's does.
    ['PUT', '/__sandbox/clock', { at: '2026-11-01T12:00:00' }, 'an ISO-8601 time with a zone (Z or ±hh:mm)'],
    ['PUT', '/__sandbox/clock', { at: 1.5 }, 'at must be'],
    ['POST', '/__sandbox/clock/advance', { ms: 0.5 }, 'whole milliseconds'],
    ['PUT', '/__sandbox/clock', { frozen: 'yes' }, 'frozen'],
  ])('answers 400 and keeps the time for %s %s %j', async (method, path, body, mention) => {
    const sandbox = testSandbox();
    const answer = await call(sandbox, method, path, { body });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ status: 400, error: 'Bad Request', path });
    expect(answer.json.message).toContain(mention);
    expect(await clockOf(sandbox)).toEqual({ now: TEST_NOW, epochMs: START, frozen: true });
  });

  it('shows over HTTP what sandbox.clock does in code, and the other way round', async () => {
    const sandbox = testSandbox();
    sandbox.clock.advance('61s');
    expect((await clockOf(sandbox)).now).toBe('2026-11-01T12:01:01.000Z');
    await advance(sandbox, '1m');
    expect(sandbox.clock.now()).toBe(START + 121_000);
    sandbox.clock.freeze('2026-12-24T18:00:00.000Z');
    expect((await clockOf(sandbox)).now).toBe('2026-12-24T18:00:00.000Z');
    expect(() => sandbox.clock.advance('soon')).toThrow(RangeError);
  });
});

describe('what follows the clock', () => {
  it('expires a session JWT 24 h after login', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'admin@acme.test');
    await advance(sandbox, '23h');
    await advance(sandbox, '59m');
    expect((await call(sandbox, 'GET', '/api/auth/me', { cookie })).status).toBe(200);
    await advance(sandbox, '61s');
    const expired = await call(sandbox, 'GET', '/api/auth/me', { cookie });
    expect(expired.status).toBe(401);
    expect(expired.json.message).toMatch(/expired/i);
    expect(expired.json.timestamp).toBe('2026-11-02T12:00:01.000Z');
  });

  it('opens a new rate-limit window once the clock passes X-RateLimit-Reset', async () => {
    const sandbox = testSandbox();
    const hobby = { token: 'sdk_sandbox_hobby' };
    for (let i = 0; i < 60; i++) await call(sandbox, 'GET', '/api/auth/me', hobby);
    const limited = await call(sandbox, 'GET', '/api/auth/me', hobby);
    expect(limited.status).toBe(429);
    const reset = Number(limited.headers.get('x-ratelimit-reset'));
    expect(reset).toBe(START / 1000 + 60);
    await advance(sandbox, 59_000);
    expect((await call(sandbox, 'GET', '/api/auth/me', hobby)).status).toBe(429);
    await advance(sandbox, reset * 1000 - sandbox.clock.now());
    const again = await call(sandbox, 'GET', '/api/auth/me', hobby);
    expect(again.status).toBe(200);
    expect(again.headers.get('x-ratelimit-remaining')).toBe('59');
    expect(again.headers.get('x-ratelimit-reset')).toBe(String(reset + 60));
  });

  it('moves an execution PENDING → RUNNING → SUCCESS as the clock advances', async () => {
    const sandbox = testSandbox();
    const page = await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}&size=20`, admin);
    const workflow = page.json.content.find((w: { nodeCount: number }) => w.nodeCount >= 3);
    const started = await call(sandbox, 'POST', `/api/workflows/${workflow.id}/execute`, { ...admin, body: {} });
    expect(started.json).toMatchObject({ status: 'PENDING', startedAt: null, createdAt: TEST_NOW });
    const status = async () => (await call(sandbox, 'GET', `/api/executions/${started.json.id}`, admin)).json;

    await advance(sandbox, 200);
    expect(await status()).toMatchObject({ status: 'PENDING', startedAt: null, finishedAt: null });
    await advance(sandbox, 60);
    expect(await status()).toMatchObject({ status: 'RUNNING', startedAt: '2026-11-01T12:00:00.250Z', finishedAt: null });
    await advance(sandbox, '1h');
    const done = await status();
    expect(done).toMatchObject({ status: 'SUCCESS', startedAt: '2026-11-01T12:00:00.250Z' });
    expect(Date.parse(done.finishedAt)).toBeGreaterThan(START + 250);
    expect(Date.parse(done.finishedAt)).toBe(START + 250 + done.durationMs);
    await advance(sandbox, '2h');
    expect(await status()).toEqual(done);
  });

  it('stamps new records and error bodies with the sandbox time', async () => {
    const sandbox = testSandbox();
    await advance(sandbox, '2h');
    const created = await call(sandbox, 'POST', '/api/workflows', { ...admin, body: { name: 'Later', teamId: ACME_TEAM_ID } });
    expect(created.json).toMatchObject({ createdAt: '2026-11-01T14:00:00.000Z', updatedAt: '2026-11-01T14:00:00.000Z' });
    await advance(sandbox, '30m');
    const renamed = await call(sandbox, 'PUT', `/api/workflows/${created.json.id}`, { ...admin, body: { name: 'Later still' } });
    expect(renamed.json).toMatchObject({ createdAt: '2026-11-01T14:00:00.000Z', updatedAt: '2026-11-01T14:30:00.000Z' });
    const run = await call(sandbox, 'POST', `/api/workflows/${created.json.id}/execute`, { ...admin, body: {} });
    expect(run.json.createdAt).toBe('2026-11-01T14:30:00.000Z');
    expect((await call(sandbox, 'GET', '/api/nope', admin)).json.timestamp).toBe('2026-11-01T14:30:00.000Z');
  });
});

describe('clock range', () => {
  it('answers 400 for an advance past the Date range and keeps the clock and the namespace working', async () => {
    const sandbox = testSandbox();
    const refused = await advance(sandbox, 999999999999999999999);
    expect(refused.status).toBe(400);
    expect(refused.json.message).toMatch(/outside the supported range/);
    expect(await clockOf(sandbox)).toEqual({ now: TEST_NOW, epochMs: START, frozen: true });
    expect((await call(sandbox, 'GET', '/api/auth/me', admin)).status).toBe(200);
  });

  it('answers 400 for a jump to a time a Date cannot hold, and for a rolled-over calendar text', async () => {
    const sandbox = testSandbox();
    for (const at of ['+275760-09-13T00:00:00.000Z', 'Nov 1 2026', 9e15]) {
      const refused = await call(sandbox, 'PUT', '/__sandbox/clock', { body: { at } });
      expect(refused.status).toBe(400);
      expect(refused.json.message).toMatch(/must be epoch milliseconds or an ISO-8601 time/);
    }
    expect(() => sandbox.clock.advance(1e21)).toThrow(RangeError);
    expect(sandbox.clock.iso()).toBe(TEST_NOW);
  });
});

describe('a running clock while real time moves', () => {
  // A real-time source that moves 1 ms at every read: an operation that reads it twice takes its
  // base and its real-time origin from two different instants.
  const ticking = () => {
    let real = 1_000_000;
    return { read: () => ++real, last: () => real };
  };
  /** Sandbox time minus real time at one reading (now() reads the source once). */
  const offset = (clock: ReturnType<typeof createClock>, real: ReturnType<typeof ticking>) => clock.now() - real.last();

  it('keeps its place against real time when resumed while already running (it went back 1 ms)', () => {
    const real = ticking();
    const clock = createClock({ start: 50_000, frozen: false, realNow: real.read });
    const before = offset(clock, real);
    clock.resume();
    expect(offset(clock, real)).toBe(before);
  });

  it('runs exactly at real time when created or reset without a start time', () => {
    const real = ticking();
    const clock = createClock({ realNow: real.read });
    expect(offset(clock, real)).toBe(0);
    clock.advance(5_000);
    expect(offset(clock, real)).toBe(5_000);
    clock.reset();
    expect(offset(clock, real)).toBe(0);
  });
});
