import type { ScenarioDefinition } from '../src/scenarios/definition.ts';
import chatDropped from './chat-dropped.ts';
import chatEcho from './chat-echo.ts';
import chatErrorMidStream from './chat-error-mid-stream.ts';
import chatSlow from './chat-slow.ts';
import conflict from './conflict.ts';
import empty from './empty.ts';
import expiredSession from './expired-session.ts';
import flaky from './flaky.ts';
import forbidden from './forbidden.ts';
import large from './large.ts';
import rateLimited from './rate-limited.ts';
import serverError from './server-error.ts';
import slow from './slow.ts';
import timeout from './timeout.ts';
import unavailable from './unavailable.ts';

/** The built-in scenario catalogue, one file each beside this one (documented in the README). */
export const BUILT_IN_SCENARIOS: readonly ScenarioDefinition[] = [
  expiredSession,
  forbidden,
  conflict,
  rateLimited,
  serverError,
  unavailable,
  flaky,
  slow,
  timeout,
  empty,
  large,
  chatSlow,
  chatErrorMidStream,
  chatDropped,
  chatEcho,
];
