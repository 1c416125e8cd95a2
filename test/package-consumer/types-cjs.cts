// Type-checked with NodeNext as a CommonJS file: the `require` conditions and their .d.cts types.
import { createSandbox } from 'nodeloom-sandbox';
import { connect } from 'nodeloom-sandbox/client';
import { createHandlers } from 'nodeloom-sandbox/msw';

export const handlers = createHandlers(createSandbox(), { origins: ['*'] });
export const ready: Promise<void> = connect('http://localhost:4010').journal.clear();
