import type { Clock } from '../core/clock.ts';
import type { RequestedScenarios, ScenarioDecision, ScenarioPort } from '../core/exchange.ts';
import { HttpError } from '../core/http-error.ts';
import type { Principal } from '../core/principal.ts';
import type { Activation, ScenarioSwitchboard } from './activation.ts';
import { effectOutcome } from './apply.ts';
import type { Dataset } from './definition.ts';
import { evaluateScenarios } from './engine.ts';
import { splitScenarioNames, type ScenarioRegistry } from './registry.ts';

/** Per-request scenario header (comma-separated names) and its query-string twin. */
export const SCENARIO_HEADER = 'x-sandbox-scenario';
export const SCENARIO_QUERY = '__scenario';

/** What the port reads of its namespace. */
export interface ScenarioSource {
  readonly registry: ScenarioRegistry;
  readonly switchboard: ScenarioSwitchboard;
  readonly clock: Clock;
  /** The namespace's current seed (draws are keyed on it). */
  seed(): number;
}

/** The key a principal's binding is stored under: its SDK token value, or the user's email. */
export function bindingKey(principal: Principal | null): string | undefined {
  if (!principal || principal.kind === 'widget') return undefined;
  return principal.kind === 'token' ? principal.token.token : principal.user.email.toLowerCase();
}

/** The last scenario of a set that names a data set (it decides which data serves the request). */
export function dataScenarioOf(activation: Activation): { name: string; dataset: Dataset } | undefined {
  let found: { name: string; dataset: Dataset } | undefined;
  for (const { scenario } of activation.scenarios) if (scenario.dataset) found = { name: scenario.name, dataset: scenario.dataset };
  return found;
}

/**
 * The scenario port of one namespace (src/core/exchange.ts): precedence request header (or
 * `?__scenario=`) > binding to the caller's SDK token or email > server-wide set. The winning set
 * also decides the data set: its data scenario, else `default` (a header without a data scenario
 * replaces the server's data scenario too, for that request only). Rule counters (`times`,
 * `after`, draws) are kept apart per source.
 */
export function createScenarioPort(source: ScenarioSource): ScenarioPort {
  const resolveRequested = (names: string[], from?: string) => ({ scenarios: source.registry.resolve(names, from), at: source.clock.now() });
  return {
    requested(request, url): RequestedScenarios {
      const header = request.headers.get(SCENARIO_HEADER);
      const names = splitScenarioNames(header ?? url.searchParams.get(SCENARIO_QUERY));
      if (!names.length) return { names, error: null, dataset: undefined };
      try {
        // The 400 names its source: the caller may not know a header or a URL set it (an <img>, a proxy).
        const from = header === null ? `?${SCENARIO_QUERY}=` : 'the X-Sandbox-Scenario header';
        return { names, error: null, dataset: dataScenarioOf(resolveRequested(names, from))?.dataset ?? 'default' };
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        return { names, error, dataset: undefined };
      }
    },
    decide({ method, path, requested, principal, roles }): ScenarioDecision {
      let activation: Activation;
      let origin: string;
      if (requested.length) {
        activation = resolveRequested([...requested]);
        origin = 'request';
      } else {
        const key = bindingKey(principal);
        const bound = key === undefined ? undefined : source.switchboard.bindings.get(key);
        activation = bound ?? source.switchboard.server;
        origin = bound ? `binding:${key}` : 'server';
      }
      const data = dataScenarioOf(activation);
      const applied = data ? [`${data.name} (dataset ${data.dataset})`] : [];
      if (!activation.scenarios.length) return { dataset: 'default', applied, latencyMs: 0, terminal: null, stream: null };
      const now = source.clock.now();
      const token = principal?.kind === 'token' ? principal.token.token : undefined;
      const outcome = evaluateScenarios(
        activation.scenarios,
        { method, path, principal: principal ? { token, roles: [...roles] } : null },
        source.switchboard.counters,
        origin,
        source.seed(),
        { now, activatedAt: activation.at },
      );
      const terminal = outcome.terminal;
      return {
        dataset: data?.dataset ?? 'default',
        applied: [...applied, ...outcome.applied],
        latencyMs: outcome.latencyMs,
        stream: outcome.stream,
        terminal: terminal && {
          exhaustsRateLimit: terminal.effect.type === 'rate-limited' || (terminal.effect.type === 'error' && terminal.effect.status === 429),
          resolve: (at) => effectOutcome(terminal.effect, { now, principal: at.principal, viaCookie: at.viaCookie, signal: at.signal }, at.rateLimit),
        },
      };
    },
  };
}
