/**
 * Keeps overlapping reads from going back in time: the control page reads the sandbox's state
 * every second and after every action, and those reads overlap. Answers can come back in another
 * order than they were sent (a poll sent just before a reset, whose journal read took longer, was
 * answered after the reset's own read and put the clock from before the reset back on the page).
 * Runs in the browser only (bundled into the page); no DOM needed.
 */

/**
 * Wraps an async read so that only the newest answer is used: each call resolves to its read's
 * value, or to `undefined` when a call sent after it has already been answered (its value is
 * older than what is shown).
 * @param read the read to run (e.g. the page's four GETs of clock, scenarios, journal, namespaces)
 * @returns the guarded read; rejects as `read` does
 */
export function newestAnswer<T>(read: () => Promise<T>): () => Promise<T | undefined> {
  let sent = 0;
  let shown = 0;
  return async () => {
    const id = ++sent;
    const value = await read();
    if (id < shown) return undefined;
    shown = id;
    return value;
  };
}
