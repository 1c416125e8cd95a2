import { connect, type Socket } from 'node:net';

/**
 * A small closed-loop HTTP/1.1 load generator over raw keep-alive sockets: each connection sends
 * one request, waits for the whole response, records the latency, sends the next. Requests are
 * pre-encoded bytes (rotated round-robin), responses are parsed just enough to find their end
 * (`Content-Length` or a chunked terminator), so the generator costs far less CPU than the
 * servers it measures (node:http's client would cap the bare-server figure well below its ceiling).
 */

/** What to load. */
export interface LoadOptions {
  host: string;
  port: number;
  /** Complete request heads (`GET /x HTTP/1.1\r\n...\r\n\r\n`), used round-robin. */
  requests: readonly string[];
  /** Concurrent keep-alive connections (one request in flight on each). */
  connections: number;
  /** Warm-up before measuring, ms (answers are not counted). */
  warmupMs: number;
  /** Measured duration, ms. */
  durationMs: number;
}

/** Result of one measured run. */
export interface LoadResult {
  /** Completed responses in the measured window. */
  requests: number;
  /** Completed responses per second. */
  rps: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  /** Response count per status code in the measured window. */
  statuses: Record<string, number>;
  /** Socket errors. */
  errors: number;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('\r\n0\r\n\r\n');

/**
 * Runs the load: warm-up, then the measured window; resolves when every connection has finished
 * its last request.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const encoded = options.requests.map((request) => Buffer.from(request, 'latin1'));
  let next = 0;
  let measuring = false;
  let stopping = false;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;

  const connection = () =>
    new Promise<void>((resolve) => {
      const socket: Socket = connect({ host: options.host, port: options.port, noDelay: true });
      let buffered: Buffer | null = null;
      let sentAt = 0;
      let counted = false;
      const send = () => {
        if (stopping) {
          socket.end();
          return resolve();
        }
        counted = measuring;
        sentAt = performance.now();
        socket.write(encoded[next++ % encoded.length]!);
      };
      socket.on('connect', send);
      socket.on('error', () => {
        errors += 1;
        resolve();
      });
      socket.on('data', (chunk: Buffer) => {
        buffered = buffered ? Buffer.concat([buffered, chunk]) : chunk;
        const headEnd = buffered.indexOf(HEAD_END);
        if (headEnd < 0) return;
        const head = buffered.toString('latin1', 0, headEnd);
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        let end: number;
        if (length) {
          end = headEnd + 4 + Number(length[1]);
        } else {
          const terminator = buffered.indexOf(CHUNKED_END, headEnd + 2);
          end = terminator < 0 ? Infinity : terminator + CHUNKED_END.length;
        }
        if (buffered.length < end) return;
        buffered = null;
        if (counted && measuring) {
          latencies.push(performance.now() - sentAt);
          const status = head.slice(9, 12);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
        send();
      });
    });

  const done = Promise.all(Array.from({ length: options.connections }, connection));
  await sleep(options.warmupMs);
  measuring = true;
  const started = performance.now();
  await sleep(options.durationMs);
  measuring = false;
  const elapsed = performance.now() - started;
  stopping = true;
  await done;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { requests: latencies.length, rps: (latencies.length * 1000) / elapsed, p50: at(0.5), p99: at(0.99), statuses, errors };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
