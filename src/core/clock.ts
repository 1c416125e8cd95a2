/**
 * The sandbox clock: the only source of "now" for timestamps, JWT expiry, rate-limit windows and
 * execution progress (design.md "Time"). Real time by default; frozen or offset on request.
 */

/** A sandbox clock. All times are milliseconds since the Unix epoch unless stated otherwise. */
export interface Clock {
  /** Current sandbox time in epoch milliseconds. */
  now(): number;
  /** Current sandbox time as ISO-8601 UTC with milliseconds (`2026-02-17T10:30:00.000Z`). */
  iso(): string;
  /** Moves the clock forward by `ms` milliseconds (negative values are rejected with a RangeError). */
  advance(ms: number): void;
  /** Stops the clock at `at` (epoch ms; default: the current sandbox time). */
  freeze(at?: number): void;
  /** Lets the clock run in real time again from its current sandbox time. */
  resume(): void;
  /** Jumps to `at` (epoch ms, forwards or backwards), keeping the frozen/running state. */
  set(at: number): void;
  /** Back to how the clock was created: its start time and frozen state (or real time). */
  reset(): void;
  /**
   * Puts the clock at a snapshot's time (epoch ms) and frozen state. Accepts any time a record can
   * hold ({@link FIRST_RECORD_MS}..{@link LAST_RECORD_MS}), a little wider than what {@link set}
   * accepts, because a running clock may have moved past {@link MAX_TIME_MS} when the snapshot
   * was taken. @throws RangeError outside that range
   */
  restore(at: number, frozen: boolean): void;
  /** Whether the clock is frozen. */
  readonly frozen: boolean;
}

const DAY_MS = 86_400_000;

/**
 * The earliest time a stored record can hold, epoch ms: records keep ISO-8601 times with 4-digit
 * years (`z.iso.datetime()`), and `toISOString()` writes years before 0000 as `-000001-...`.
 */
export const FIRST_RECORD_MS = Date.parse('0000-01-01T00:00:00.000Z');
/** The latest time a stored record can hold, epoch ms (year 10000 is written `+010000-...`). */
export const LAST_RECORD_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * The earliest time the clock can be set to, epoch ms: 0002-01-01T00:00:00.000Z, 731 days after
 * {@link FIRST_RECORD_MS}, because seeded data lies up to ~490 days before the seeding time
 * (fixtures/seed-large.ts: 90 + 400 days) and must still be a 4-digit year.
 */
export const MIN_TIME_MS = Date.parse('0002-01-01T00:00:00.000Z');

/**
 * The latest time the clock can be set to, epoch ms: 9998-12-31T23:59:59.999Z, 365 days before
 * {@link LAST_RECORD_MS}, because the sandbox stores times after "now" (a session lasts a day, an
 * execution finishes after its node durations, a rate window ends within a minute) and a running
 * clock moves on: a year of room keeps every one of them a 4-digit year.
 */
export const MAX_TIME_MS = Date.parse('9998-12-31T23:59:59.999Z');

/** The settable range, as the clock's error messages name it. */
export const TIME_RANGE_TEXT = `${new Date(MIN_TIME_MS).toISOString()} to ${new Date(MAX_TIME_MS).toISOString()}`;

/** Real elapsed milliseconds since an arbitrary origin, for measuring durations (never for timestamps). */
export function monotonicMs(): number {
  return performance.now();
}

/**
 * Creates a clock.
 * @param options.start sandbox time at creation, epoch ms (default: real time), within
 *   {@link MIN_TIME_MS}..{@link MAX_TIME_MS}
 * @param options.frozen start frozen (default: true when `start` is given, so responses are
 *   byte-identical across runs; false otherwise)
 * @param options.realNow the real-time source, epoch ms (default `Date.now`; injectable for tests)
 * @throws RangeError naming the range when `start` is outside it
 */
export function createClock(options: { start?: number; frozen?: boolean; realNow?: () => number } = {}): Clock {
  // The one sanctioned use of Date.now(): the clock's link to real time.
  const realNow = options.realNow ?? (() => Date.now());
  const initiallyFrozen = options.frozen ?? options.start !== undefined;
  let frozen = initiallyFrozen;
  // sandbox time = base + (frozen ? 0 : realNow() - realBase). Each operation reads real time
  // once: a second read can be a millisecond later, and base and realBase taken from two readings
  // put a running clock that much behind (resume() on a running clock went back 1 ms).
  let realBase = realNow();
  let base = options.start ?? realBase;

  const timeAt = (real: number): number => (frozen ? base : base + (real - realBase));
  const now = (): number => timeAt(realNow());
  // Only times every stored record can hold (4-digit years, with room for what is stored after
  // "now"): past them every create would answer 500 and snapshots could not be restored.
  const checkRange = (at: number, what: string, min = MIN_TIME_MS, max = MAX_TIME_MS) => {
    if (!Number.isFinite(at) || at < min || at > max) {
      const shown = Number.isFinite(at) && Math.abs(at) <= 8.64e15 ? new Date(at).toISOString() : `${at} ms`;
      throw new RangeError(
        `${what} would put the clock at ${shown}, outside the supported range (${new Date(min).toISOString()} to ${new Date(max).toISOString()}): stored times are ISO-8601 with 4-digit years. Use a time within it.`,
      );
    }
  };
  if (options.start !== undefined) checkRange(options.start, 'Starting');

  return {
    now,
    iso: () => new Date(now()).toISOString(),
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Clock can only move forward by a finite number of ms, got ${ms}`);
      checkRange(now() + ms, `Advancing by ${ms} ms`);
      base += ms;
    },
    freeze(time?: number) {
      if (time !== undefined) checkRange(time, 'Freezing');
      const real = realNow();
      base = time ?? timeAt(real);
      realBase = real;
      frozen = true;
    },
    resume() {
      const real = realNow();
      base = timeAt(real);
      realBase = real;
      frozen = false;
    },
    set(at: number) {
      checkRange(at, 'Setting');
      base = at;
      realBase = realNow();
    },
    reset() {
      realBase = realNow();
      base = options.start ?? realBase;
      frozen = initiallyFrozen;
    },
    restore(at: number, isFrozen: boolean) {
      checkRange(at, 'Restoring', FIRST_RECORD_MS, LAST_RECORD_MS);
      base = at;
      realBase = realNow();
      frozen = isFrozen;
    },
    get frozen() {
      return frozen;
    },
  };
}
