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
  /** Whether the clock is frozen. */
  readonly frozen: boolean;
}

/** The latest time the clock accepts, epoch ms (a day inside the Date range of ±8.64e15). */
export const MAX_TIME_MS = 8.64e15 - 86_400_000;

/** Real elapsed milliseconds since an arbitrary origin, for measuring durations (never for timestamps). */
export function monotonicMs(): number {
  return performance.now();
}

/**
 * Creates a clock.
 * @param options.start sandbox time at creation, epoch ms (default: real time)
 * @param options.frozen start frozen (default: true when `start` is given, so responses are
 *   byte-identical across runs; false otherwise)
 * @param options.realNow the real-time source, epoch ms (default `Date.now`; injectable for tests)
 */
export function createClock(options: { start?: number; frozen?: boolean; realNow?: () => number } = {}): Clock {
  // The one sanctioned use of Date.now(): the clock's link to real time.
  const realNow = options.realNow ?? (() => Date.now());
  const initiallyFrozen = options.frozen ?? options.start !== undefined;
  let frozen = initiallyFrozen;
  // sandbox time = base + (frozen ? 0 : realNow() - realBase)
  let base = options.start ?? realNow();
  let realBase = realNow();

  const now = (): number => (frozen ? base : base + (realNow() - realBase));
  // Keep a day's margin inside what a JavaScript Date can hold, so a running clock stays valid.
  const checkRange = (at: number, what: string) => {
    if (!Number.isFinite(at) || Math.abs(at) > MAX_TIME_MS) {
      throw new RangeError(`${what} would put the clock at ${at} ms, outside the supported range (years -271820 to 275759). Use a smaller value.`);
    }
  };

  return {
    now,
    iso: () => new Date(now()).toISOString(),
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Clock can only move forward by a finite number of ms, got ${ms}`);
      checkRange(now() + ms, `Advancing by ${ms} ms`);
      base += ms;
    },
    freeze(at?: number) {
      if (at !== undefined) checkRange(at, 'Freezing');
      base = at ?? now();
      realBase = realNow();
      frozen = true;
    },
    resume() {
      base = now();
      realBase = realNow();
      frozen = false;
    },
    set(at: number) {
      checkRange(at, 'Setting');
      base = at;
      realBase = realNow();
    },
    reset() {
      base = options.start ?? realNow();
      realBase = realNow();
      frozen = initiallyFrozen;
    },
    get frozen() {
      return frozen;
    },
  };
}
