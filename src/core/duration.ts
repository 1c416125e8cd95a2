import ms from 'ms';

/**
 * Parses a duration for the clock: a number of milliseconds, or a string the `ms` library reads
 * ("61s", "2h", "1.5m", "500ms", "2 days"; a bare "61000" is milliseconds).
 * @returns whole milliseconds (an integer >= 0; the clock checks its own range)
 * @throws RangeError with a message that shows accepted forms
 */
export function parseDuration(value: number | string): number {
  // A string is rounded to the millisecond: `ms` multiplies in floating point ("1.1h" gives
  // 3960000.0000000005). A number must be whole already: the clock's epoch ms and every stored
  // ISO-8601 time have no finer unit, so `{"ms": 0.5}` is refused rather than rounded away.
  const parsed = typeof value === 'number' ? value : Math.round(ms(value.trim() as ms.StringValue));
  if (typeof parsed !== 'number' || !Number.isInteger(parsed) || parsed < 0) {
    throw new RangeError(`Invalid duration ${JSON.stringify(value)}: use whole milliseconds (61000) or a string such as "61s", "2h", "500ms".`);
  }
  return parsed;
}
