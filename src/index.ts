/**
 * nodeloom-sandbox: a local, deterministic stand-in for the NodeLoom REST API.
 * `createSandbox()` returns a sandbox whose `fetch(request)` answers every API call; the express
 * and msw hosts (`nodeloom-sandbox/express`, `nodeloom-sandbox/msw`) put it on a port or in tests.
 */
export { createSandbox, DEFAULT_SEED, type Sandbox, type SandboxOptions } from './sandbox.ts';
export type { RequestMeta } from './core/exchange.ts';
export type { ClockControls, JournalControls, SandboxControls, ScenarioControls } from './controls.ts';
export type { JournalEntry, JournalFilter } from './core/journal.ts';
export type { Snapshot } from './snapshot.ts';
export type { Effect, Rule, Scenario, ScenarioDefinition } from './scenarios/definition.ts';
export type { ErrorBody } from './core/http-error.ts';
export type { Role } from './core/rbac.ts';
export type { Plan } from './core/rate-limit.ts';
export * from '../fixtures/identities.ts';
export { openApiDocument, openApiYaml, type OpenApiOptions } from './openapi/index.ts';
