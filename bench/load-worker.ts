import { parentPort, Worker, workerData } from 'node:worker_threads';
import { runLoad, type LoadOptions, type LoadResult } from './load.ts';

/**
 * Runs {@link runLoad} in a worker thread, so the load generator has its own event loop (and, on
 * a 2-core machine, its own core) instead of competing with the server it measures.
 * @returns the worker's {@link LoadResult}
 * @throws Error when the worker fails or exits without a result
 */
export function loadInWorker(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // A worker does not inherit tsx's loader from the main thread: register it, then load this file.
    const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
    const self = JSON.stringify(import.meta.url);
    const boot = `import(${api}).then(({ register }) => { register(); return import(${self}); })`;
    const worker = new Worker(boot, { eval: true, workerData: options });
    worker.once('message', (result: LoadResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`load worker exited with code ${code} before answering`)));
  });
}

if (parentPort && workerData) parentPort.postMessage(await runLoad(workerData as LoadOptions));
