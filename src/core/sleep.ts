/**
 * Waits `ms` milliseconds of real time (scenario latency, stalls and stream pacing are felt by real
 * clients, so they do not follow the sandbox clock). Resolves early when `signal` aborts. The
 * timer is unref'd, so a pending wait never keeps a stopping Node process alive.
 */
export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    (timer as { unref?: () => void }).unref?.();
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Lets queued I/O and timers run before continuing (a macrotask turn: `setTimeout(0)` works in Node
 * and browsers alike). Long synchronous work, such as building the `large` data set, calls it
 * every few thousand records so unrelated requests keep being answered meanwhile.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
