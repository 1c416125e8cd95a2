import ms from 'ms';

/**
 * Parses a duration for the clock: a number of milliseconds, or a string the `ms` library reads
 * ("61s", "2h", "1.5m", "500ms", "2 days"; a bare "61000" is milliseconds).
 * @returns whole milliseconds (an integer >= 0; the clock checks its own range)
 * @throws RangeError with a message that shows accepted forms
 */
export function parseDuration(value: number | string): number {
  const parsed = typeof value === 'number' ? value : ms(value.trim() as ms.StringValue);
  // Whole milliseconds: the clock's epoch ms and every stored ISO-8601 time have no finer unit.
  if (typeof parsed !== 'number' || !Number.isInteger(parsed) || parsed < 0) {
    throw new RangeError(`Invalid duration ${JSON.stringify(value)}: use whole milliseconds (61000) or a string such as "61s", "2h", "500ms".`);
  }
  return parsed;
}
