import type { ApiRequest } from './api-request.ts';
import type { CrossSiteCookie } from './cross-site.ts';
import type { QueryMemo } from './query-memo.ts';
import type { AuditNote, AuditSink } from './audit.ts';
import type { Clock } from './clock.ts';
import type { HttpError } from './http-error.ts';
import type { Journal } from './journal.ts';
import type { Principal } from './principal.ts';
import type { RateLimitState } from './rate-limit.ts';
import type { Role } from './rbac.ts';
import type { AnyRoute, CoreState, SettleOutcome, StreamEffects, TeamScope } from './route.ts';
import type { RouteMatch, Router } from './router.ts';
import type { RbacDecision } from './team-scope.ts';

/**
 * The per-request exchange object the pipeline's steps read and fill in (design.md "The pipeline
 * is one ordered list of named steps"), and the ports through which the sandbox gives the core
 * what it does not own: the namespace (clock, journal, data sets), scenarios and the audit trail.
 */

/** What a host knows about a request beyond the Fetch `Request` itself. */
export interface RequestMeta {
  /** The client's IP address, for per-address rate limits and audit entries (default `local`). */
  clientAddress?: string;
}

/** A network failure: the express host resets the connection; msw gets `Response.error()`. */
export const NETWORK_ERROR = Symbol('network-error');

/** What the active scenarios do to one request. */
export interface ScenarioDecision {
  /** The data set serving the request (`default`, `empty`, `large`). */
  dataset: string;
  /** `scenario/rule (what)` labels for `X-Sandbox-Scenario-Applied` and the journal. */
  applied: string[];
  /** Added latency, ms of real time. */
  latencyMs: number;
  /** The effect answering the request instead of the API, resolved to an error or a network failure. */
  terminal: null | {
    resolve(at: { principal: Principal | null; viaCookie: boolean; rateLimit: RateLimitState | null; signal: AbortSignal | null }): Promise<HttpError | typeof NETWORK_ERROR>;
    /** The rate-limited effect: the answer's rate-limit headers show the window exhausted. */
    exhaustsRateLimit: boolean;
  };
  /** Non-terminal effects on a streamed answer (stall, error, drop, pace, echo), handed to the route; null when none. */
  stream: StreamEffects | null;
}

/** The per-request scenario names, the data set they name (if any), and the error for an unknown name. */
export interface RequestedScenarios {
  names: string[];
  error: HttpError | null;
  dataset: string | undefined;
}

/** Scenario selection and evaluation, as the namespace's switchboard provides it. */
export interface ScenarioPort {
  /** The per-request names (`X-Sandbox-Scenario` or `?__scenario=`); an unknown name is an error answered after counting. */
  requested(request: ApiRequest, url: URL): RequestedScenarios;
  /**
   * Decides for one request: header names (when given) beat a binding to the caller's token or
   * email, which beats the server-wide set; the winning set decides the data set and the rules.
   */
  decide(input: {
    method: string;
    path: string;
    requested: readonly string[];
    principal: Principal | null;
    /** The caller's effective roles (a token's in its team; every role a user holds). */
    roles: readonly Role[];
  }): ScenarioDecision;
}

/** One namespace, as the pipeline uses it. */
export interface NamespacePort<S extends CoreState = CoreState> {
  readonly name: string;
  readonly clock: Clock;
  readonly journal: Journal;
  readonly scenarios: ScenarioPort;
  /** The last login whose session cookie went to a page of another host (src/core/cross-site.ts), or null. */
  crossSiteLogin: CrossSiteCookie | null;
  /**
   * API requests begun and not yet settled (body sent, client gone, or a network error), kept by
   * handleApiRequest: a namespace with requests in flight is never dropped, so a write in flight
   * is not answered and then lost. A streamed body counts until it is read to the end or
   * cancelled (an in-process caller that does neither keeps the namespace).
   */
  inFlight: number;
  /** The next request id (`req_000123`). */
  nextRequestId(): string;
  /** A data set's state if it is already built (cheap), else undefined. Never builds. */
  builtState(dataset: string): S | undefined;
  /** The state of the data set the server-wide scenarios select (built before the pipeline runs). */
  currentState(): S;
  /** A data set's state, built on first use (the `large` one takes seconds the first time in a process). */
  state(dataset: string): Promise<S>;
  /**
   * Opens a write transaction over a state: the returned state's writes can be undone by
   * `rollback()` (a failed write leaves no trace, design.md "Writes are atomic").
   */
  transaction(state: S): { state: S; rollback(): Promise<void> };
}

/** What the pipeline is configured with once per sandbox. */
export interface PipelineConfig<S extends CoreState = CoreState> {
  router: Router<AnyRoute>;
  /** Where audit entries go; none: audit switched off (the bench's baseline). */
  audit?: AuditSink<S>;
  /** Called with errors no route expected (they answer 500). */
  onUnexpected(error: unknown, request: ApiRequest): void;
  /** Called with a warning for the developer (a cross-site cookie login); default: none. */
  onWarning?(message: string): void;
  /** Validated query strings per route (src/core/query-memo.ts); none: every query is bound again. */
  queryMemo?: QueryMemo;
}

/** Everything known about one request as it moves through the steps. */
export interface Exchange<S extends CoreState = CoreState> {
  readonly request: ApiRequest;
  readonly url: URL;
  readonly ns: NamespacePort<S>;
  readonly clientAddress: string;
  readonly requestId: string;
  /** The journal's generation when the request arrived: a reset since then drops its entry (journal.ts). */
  readonly journalGeneration: number;
  /** Sandbox time the request arrived, ISO-8601. */
  readonly timestamp: string;
  /** Real time the request arrived (monotonic ms), for `durationMs`. */
  readonly started: number;
  readonly match: RouteMatch<AnyRoute>;
  /** The per-request scenario names and the error for an unknown one. */
  requested: RequestedScenarios;
  principal: Principal | null;
  /** Credentials that were sent but are bad (401 on every non-public route). */
  authError: HttpError | null;
  viaCookie: boolean;
  scenarios: ScenarioDecision | null;
  rateLimit: RateLimitState | null;
  /** The data set serving the request, once loaded (after authentication). */
  state: S | null;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  /** The body as parsed, before validation (for the journal). */
  rawBody: unknown;
  team: TeamScope | null;
  resource: unknown;
  rbac: RbacDecision | null;
  /** Scenario labels applied (data scenario first). */
  applied: string[];
  /** The pending audit entry's note, filled by the handler, recorded after a success. */
  audit: AuditNote;
  response: Response | null;
  /** Callbacks run once the response body is fully sent, the client left, or it failed. */
  readonly settled: Array<(outcome: SettleOutcome) => void>;
}
