// Type-checked with moduleResolution Bundler and DOM types only (no @types/node): a browser app.
import { setupWorker } from 'msw/browser';
import { createSandbox, type Snapshot } from 'nodeloom-sandbox';
import { connect } from 'nodeloom-sandbox/client';
import { createHandlers } from 'nodeloom-sandbox/msw';

const sandbox = createSandbox({ now: '2026-11-01T12:00:00.000Z' });
export const worker = setupWorker(...createHandlers(sandbox));
export async function keep(): Promise<Snapshot> {
  await connect(location.origin, { namespace: 'storybook' }).scenarios.use('slow');
  return sandbox.snapshot();
}
