/**
 * The CLI's request log, written off the hot path (issue 13: "the per-request log line must not
 * cost more than 10 %"). A write to a pipe or terminal is a system call; one per request cost the
 * CLI 22.6 % of its throughput in one bench run. Lines are gathered and written together: after
 * `flushMs` (so a human sees a line within a blink), or at once when `maxBytes` have gathered
 * (bounded memory under load), and on `flush()` (the CLI calls it before it prints anything else
 * and when it stops). Order is kept: every line is written once, in the order pushed.
 */

/** Where the lines go: `process.stdout`, or a test's collector. */
export interface LineSink {
  write(text: string): unknown;
}

/** A buffered line writer. */
export interface LineBuffer {
  /** Queues one line (without its newline). */
  push(line: string): void;
  /** Writes every queued line now, in one write. */
  flush(): void;
}

/**
 * Creates a {@link LineBuffer} over `sink`.
 * @param options.flushMs longest a line waits, milliseconds (default 50)
 * @param options.maxBytes queued characters that trigger an immediate write (default 65,536)
 */
export function createLineBuffer(sink: LineSink, options: { flushMs?: number; maxBytes?: number } = {}): LineBuffer {
  const flushMs = options.flushMs ?? 50;
  const maxBytes = options.maxBytes ?? 65_536;
  let queued = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (queued === '') return;
    const text = queued;
    queued = '';
    sink.write(text);
  };
  return {
    push(line) {
      queued += `${line}\n`;
      if (queued.length >= maxBytes) flush();
      else if (timer === undefined) {
        timer = setTimeout(flush, flushMs);
        // A pending log line must not keep the process alive on its own.
        timer.unref?.();
      }
    },
    flush,
  };
}
