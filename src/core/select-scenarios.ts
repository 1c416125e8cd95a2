import type { Namespace } from '../namespace.ts';
import type { Activation } from '../scenarios/activation.ts';
import type { Dataset, Scenario } from '../scenarios/definition.ts';
import { splitScenarioNames } from '../scenarios/registry.ts';
import type { SandboxState } from '../state.ts';
import { authenticate } from './authenticate.ts';
import { HttpError } from './http-error.ts';
import type { Principal } from './principal.ts';

/** Per-request scenario header (comma-separated names) and its query-string twin. */
export const SCENARIO_HEADER = 'x-sandbox-scenario';
export const SCENARIO_QUERY = '__scenario';

/** Which scenarios apply to a request, the data they select, and who is calling. */
export interface Selection {
  /** The winning set: request header/query > principal binding > server-wide. */
  activation: Activation;
  /** Where it came from; rule counters (`times`, `after`, draws) are kept apart per source. */
  source: string;
  /** The data set serving the request. */
  state: SandboxState;
  auth: { principal: Principal | null; error: HttpError | null };
  /** An unknown name in the header or query: answered as 400 after the request is counted. */
  error: HttpError | null;
}

/**
 * Selects the scenarios for a request (issue precedence: request header or `?__scenario=` over a
 * binding to the caller's SDK token or email, over the server-wide set). The winning set also
 * decides the data set: its data scenario, else `default` — a header without a data scenario
 * replaces the server's data scenario too, for that request only.
 */
export async function selectScenarios(request: Request, url: URL, ns: Namespace): Promise<Selection> {
  const requested = splitScenarioNames(request.headers.get(SCENARIO_HEADER) ?? url.searchParams.get(SCENARIO_QUERY));
  let activation: Activation | null = null;
  let error: HttpError | null = null;
  if (requested.length) {
    try {
      activation = { scenarios: ns.registry.resolve(requested), at: ns.clock.now() };
    } catch (thrown) {
      if (!(thrown instanceof HttpError)) throw thrown;
      error = thrown;
    }
  }
  const firstDataset = activation ? datasetOf(activation) : ns.dataset;
  let state = await ns.state(firstDataset);
  let auth = await authenticate(request, state);
  let source = 'request';
  if (!activation) {
    const binding = bindingKey(auth.principal);
    const bound = binding === undefined ? undefined : ns.switchboard.bindings.get(binding);
    activation = bound ?? ns.switchboard.server;
    source = bound ? `binding:${binding}` : 'server';
    const dataset = datasetOf(activation);
    if (dataset !== firstDataset) {
      state = await ns.state(dataset);
      auth = await authenticate(request, state);
    }
  }
  return { activation, source, state, auth, error };
}

/** The key a principal's binding is stored under: its SDK token value, or the user's email. */
export function bindingKey(principal: Principal | null): string | undefined {
  if (!principal) return undefined;
  return principal.kind === 'token' ? principal.token.token : principal.user.email.toLowerCase();
}

/** The last scenario of a set that names a data set (it decides which data serves the request). */
export function dataScenarioOf(activation: Activation): { name: string; dataset: NonNullable<Scenario['dataset']> } | undefined {
  let found: { name: string; dataset: NonNullable<Scenario['dataset']> } | undefined;
  for (const { scenario } of activation.scenarios) if (scenario.dataset) found = { name: scenario.name, dataset: scenario.dataset };
  return found;
}

function datasetOf(activation: Activation): Dataset {
  return dataScenarioOf(activation)?.dataset ?? 'default';
}
