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
    this.#restartCounters(scenarios);
  }

  /** Binds a set to one principal key (`sdk_...` token value or user email); empty list unbinds. */
  bind(key: string, scenarios: CompiledScenario[], at: number): void {
    if (scenarios.length === 0) this.bindings.delete(key);
    else this.bindings.set(key, { scenarios, at });
    this.#restartCounters(scenarios);
  }

  /** Clears every set, binding and counter. */
  clear(): void {
    this.server = { scenarios: [], at: 0 };
    this.bindings.clear();
    this.counters.clear();
  }

  /** A JSON view: `{ names, since, bindings: { key: names } }` (since: ISO-8601 or null). */
  describe(): { names: string[]; since: string | null; bindings: Record<string, string[]> } {
    return {
      names: this.server.scenarios.map((s) => s.scenario.name),
      since: this.server.scenarios.length ? new Date(this.server.at).toISOString() : null,
      bindings: Object.fromEntries([...this.bindings].map(([key, a]) => [key, a.scenarios.map((s) => s.scenario.name)])),
    };
  }

  #restartCounters(scenarios: CompiledScenario[]): void {
    for (const { scenario } of scenarios) {
      for (const key of [...this.counters.keys()]) if (key.startsWith(`${scenario.name}#`)) this.counters.delete(key);
    }
  }
}
