import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLineBuffer } from '../src/hosts/log-buffer.ts';

describe('the CLI log buffer (request lines written off the hot path)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes queued lines together, in order, once flushMs has passed', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const log = createLineBuffer({ write: (text) => writes.push(text) }, { flushMs: 50 });
    log.push('GET /a 200 1.0 ms');
    log.push('GET /b 404 0.5 ms');
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(49);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual(['GET /a 200 1.0 ms\nGET /b 404 0.5 ms\n']);
    vi.advanceTimersByTime(1_000);
    expect(writes).toHaveLength(1);
  });

  it('writes at once when maxBytes have gathered, so memory stays bounded under load', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const log = createLineBuffer({ write: (text) => writes.push(text) }, { flushMs: 50, maxBytes: 20 });
    log.push('0123456789');
    expect(writes).toEqual([]);
    log.push('abcdefghij');
    expect(writes).toEqual(['0123456789\nabcdefghij\n']);
    log.push('next');
    vi.advanceTimersByTime(50);
    expect(writes).toEqual(['0123456789\nabcdefghij\n', 'next\n']);
  });

  it('flush() writes everything now and nothing when empty', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const log = createLineBuffer({ write: (text) => writes.push(text) });
    log.flush();
    expect(writes).toEqual([]);
    log.push('one');
    log.flush();
    expect(writes).toEqual(['one\n']);
    vi.advanceTimersByTime(1_000);
    expect(writes).toEqual(['one\n']);
  });
});
