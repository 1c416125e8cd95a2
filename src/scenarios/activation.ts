import type { CompiledScenario, RuleCounters } from './engine.ts';

/** A set of scenarios switched on at a sandbox time (epoch ms). */
export interface Activation {
  scenarios: CompiledScenario[];
  /** When it was switched on, epoch ms (the rate-limited effect lasts to the end of that minute). */
  at: number;
}

/**
 * Which scenarios are on in one namespace: the server-wide set, sets bound to one principal
 * (an SDK token value or a user's email), and the rule counters behind `after` and `times`.
 * Precedence per request: `X-Sandbox-Scenario` header (or `?__scenario=`) > principal binding >
 * server-wide set.
 */
export class ScenarioSwitchboard {
  server: Activation = { scenarios: [], at: 0 };
  readonly bindings = new Map<string, Activation>();
  readonly counters: RuleCounters = new Map();

  /** Switches the server-wide set (an empty list clears it). Counters of the scenarios restart. */
  useServer(scenarios: CompiledScenario[], at: number): void {
    this.server = { scenarios, at };
    this.#restartCounters('server');
  }

  /** Binds a set to one principal key (`sdk_...` token value or user email); empty list unbinds. */
  bind(key: string, scenarios: CompiledScenario[], at: number): void {
    if (scenarios.length === 0) this.bindings.delete(key);
    else this.bindings.set(key, { scenarios, at });
    this.#restartCounters(`binding:${key}`);
  }

  /** Clears every set, binding and counter. */
  clear(): void {
    this.server = { scenarios: [], at: 0 };
    this.bindings.clear();
    this.counters.clear();
  }

  /** Loads counters saved by a snapshot (`[scenario#rule, matches]`). */
  loadCounters(entries: ReadonlyArray<readonly [string, number]>): void {
    this.counters.clear();
    for (const [key, n] of entries) this.counters.set(key, n);
  }

  /** A JSON view: `{ names, since, bindings: { key: names } }` (since: ISO-8601 or null). */
  describe(): { names: string[]; since: string | null; bindings: Record<string, string[]> } {
    return {
      names: this.server.scenarios.map((s) => s.scenario.name),
      since: this.server.scenarios.length ? new Date(this.server.at).toISOString() : null,
      bindings: Object.fromEntries([...this.bindings].map(([key, a]) => [key, a.scenarios.map((s) => s.scenario.name)])),
    };
  }

  /** Counters of one source (`server`, `binding:<key>`) start again when its set is switched. */
  #restartCounters(source: string): void {
    for (const key of [...this.counters.keys()]) if (key.startsWith(`${source}|`)) this.counters.delete(key);
  }
}
