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
