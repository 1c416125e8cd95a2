// Type-checked by the consumer's tsc with module/moduleResolution NodeNext (an ESM file).
import express from 'express';
import { setupServer } from 'msw/node';
import { ACME_TEAM_ID, createSandbox, type JournalEntry, type Sandbox } from 'nodeloom-sandbox';
import { connect, type SandboxClient } from 'nodeloom-sandbox/client';
import { createApp, sandboxErrorHandler } from 'nodeloom-sandbox/express';
import { createHandlers } from 'nodeloom-sandbox/msw';

const sandbox: Sandbox = createSandbox({ seed: 7, now: '2026-11-01T12:00:00.000Z' });
export const server = setupServer(...createHandlers(sandbox, { origins: ['http://localhost:4010'] }));
const app = express();
app.use(express.json());
app.use('/mock', createApp(sandbox));
app.use('/mock', sandboxErrorHandler(sandbox));
const client: SandboxClient = connect('http://localhost:4010', { namespace: 'worker-1' });

export async function check(): Promise<number> {
  const entry: JournalEntry = await client.waitForRequest({ method: 'POST', path: '/api/workflows' }, 1_000);
  sandbox.clock.advance('61s');
  sandbox.scenarios.use('server-error');
  await sandbox.reset({ seed: 1 });
  return entry.status + ACME_TEAM_ID.length + (await client.clock.get()).epochMs;
}
