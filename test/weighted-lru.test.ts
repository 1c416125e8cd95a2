import { describe, expect, it } from 'vitest';
import { WeightedLru } from '../src/data/weighted-lru.ts';
import { seededRecords } from '../src/namespace.ts';

describe('WeightedLru (src/data/weighted-lru.ts)', () => {
  it('drops the least recently used entry past its count, a get making an entry recent', () => {
    const lru = new WeightedLru<string, number>(3, 100);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    expect(lru.get('a')).toBe(1); // a is now the most recent: b is the oldest
    lru.set('d', 4);
    expect(lru.keys()).toEqual(['c', 'a', 'd']);
    expect(lru.get('b')).toBeUndefined();
  });

  it('drops the least recently used entries past its weight once a value is weighed, never the one weighed', () => {
    const lru = new WeightedLru<string, string>(10, 100);
    lru.set('small-1', 's1');
    lru.weigh('small-1', 's1', 30);
    lru.set('small-2', 's2');
    lru.weigh('small-2', 's2', 30);
    lru.set('big', 'b'); // weighs 0 until known: nothing dropped yet
    expect(lru.keys()).toEqual(['small-1', 'small-2', 'big']);
    lru.weigh('big', 'b', 150); // heavier than the bound alone: the others go, it stays
    expect(lru.keys()).toEqual(['big']);
    expect(lru.weight).toBe(150);
    lru.set('small-3', 's3');
    lru.weigh('small-3', 's3', 10); // 160 > 100: the big one is the least recent
    expect(lru.keys()).toEqual(['small-3']);
    expect(lru.weight).toBe(10);
  });

  it('keeps an entry still being generated (weight 0) when only the weight is over: dropping it frees nothing', () => {
    const lru = new WeightedLru<string, string>(10, 100);
    lru.set('loading', 'l'); // e.g. a data set whose promise has not resolved yet
    lru.set('a', 'a');
    lru.weigh('a', 'a', 60);
    lru.set('b', 'b');
    lru.weigh('b', 'b', 60); // 120 > 100: 'a' goes, 'loading' stays
    expect(lru.keys()).toEqual(['loading', 'b']);
    expect(lru.weight).toBe(60);
  });

  it('still drops an entry being generated past the count', () => {
    const lru = new WeightedLru<string, string>(2, 100);
    lru.set('loading', 'l');
    lru.set('a', 'a');
    lru.set('b', 'b');
    expect(lru.keys()).toEqual(['a', 'b']);
  });

  it('ignores a weight or a delete for a value that was replaced meanwhile', () => {
    const lru = new WeightedLru<string, string>(10, 100);
    lru.set('k', 'old');
    lru.set('k', 'new');
    lru.weigh('k', 'old', 500);
    expect(lru.weight).toBe(0);
    expect(lru.delete('k', 'old')).toBe(false);
    expect(lru.get('k')).toBe('new');
    expect(lru.delete('k')).toBe(true);
    expect(lru.size).toBe(0);
  });
});

describe('the process-wide data sets (src/namespace.ts seededRecords)', () => {
  it('keeps a small data set while a dozen others are generated (a count of six rebuilt it)', async () => {
    const epoch = Date.parse('2031-05-05T05:05:05.000Z'); // a start no other test uses
    const first = seededRecords(1, epoch, 'empty');
    for (let seed = 2; seed <= 13; seed += 1) await seededRecords(seed, epoch, 'empty');
    expect(seededRecords(1, epoch, 'empty')).toBe(first);
    expect((await first).users.length).toBeGreaterThan(0);
  });
});
