import { wholeBodyOf } from './respond.ts';
import type { SettleOutcome } from './route.ts';

/**
 * Calls `onSettled` once the response body has been fully read (`complete`), the reader cancelled
 * it because the client went away (`aborted`), or the body stream failed (`failed`). A body the
 * core built as one string, or no body, is settled at once. A streamed body is wrapped in a
 * pass-through stream that pulls only when its reader asks (`highWaterMark: 0`), so events still
 * flow one by one and back-pressure reaches the producer. `signalOf` gives the request's abort
 * signal; it is called only for a streamed body (the node host's request makes its signal on first use).
 * @returns the response to send (the same one, or a copy whose body is the wrapper)
 */
export function settleWhenSent(response: Response, onSettled: (outcome: SettleOutcome) => void, signalOf?: () => AbortSignal | null): Response {
  if (wholeBodyOf(response) !== undefined || response.body === null) {
    onSettled('complete');
    return response;
  }
  const signal = signalOf?.();
  const reader = response.body.getReader();
  let settled = false;
  let wrapper: ReadableStreamDefaultController<Uint8Array> | undefined;
  const finish = (outcome: SettleOutcome) => {
    if (settled) return;
    settled = true;
    signal?.removeEventListener('abort', onAbort);
    onSettled(outcome);
  };
  const onAbort = () => {
    if (settled) return;
    finish('aborted');
    reader.cancel(signal!.reason).catch(() => undefined);
    try {
      wrapper?.error(signal!.reason);
    } catch {
      // already closed
    }
  };
  if (signal?.aborted) queueMicrotask(onAbort);
  else signal?.addEventListener('abort', onAbort, { once: true });
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        wrapper = controller;
      },
      async pull(controller) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          finish('failed');
          controller.error(error);
          return;
        }
        if (chunk.done) {
          controller.close();
          finish('complete');
        } else {
          controller.enqueue(chunk.value);
        }
      },
      cancel(reason) {
        finish('aborted');
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: [...response.headers] });
}
