import { clip } from '../core/clip.ts';
import { HttpError } from '../core/http-error.ts';
import { NO_SCENARIO, noScenarioAloneMessage, parseScenario, type Scenario, type ScenarioDefinition } from './definition.ts';
import { compileScenario, type CompiledScenario } from './engine.ts';
import { deepFreeze } from '../core/deep-freeze.ts';

/**
 * The built-in catalogue compiled, by definition object: the definitions are constants, so every
 * sandbox of the process shares one frozen compilation instead of validating them with zod and
 * compiling their path patterns again (~0.6 of the ~1.5 ms a `createSandbox()` took, measured).
 */
const compiledBuiltIns = new WeakMap<ScenarioDefinition, CompiledScenario>();

/**
 * The scenarios a sandbox knows: the built-in catalogue plus the user's own (files or code).
 * A user scenario with a built-in's name replaces it.
 */
export class ScenarioRegistry {
  readonly #byName = new Map<string, CompiledScenario>();

  /**
   * Validates and adds a definition.
   * @param source where it came from, for error messages ("scenarios/my.json", "code")
   * @throws Error naming the source and the field when the definition is malformed
   */
  add(definition: ScenarioDefinition | Scenario, source: string): Scenario {
    const scenario = parseScenario(definition, source);
    this.#byName.set(scenario.name, compileScenario(scenario));
    return scenario;
  }

  /**
   * Adds a built-in scenario (a constant definition of scenarios/), compiled once per process and
   * shared frozen (see {@link compiledBuiltIns}).
   * @throws Error naming the source and the field when the definition is malformed
   */
  addBuiltIn(definition: ScenarioDefinition, source: string): void {
    let compiled = compiledBuiltIns.get(definition);
    if (!compiled) {
      compiled = deepFreeze(compileScenario(parseScenario(definition, source)));
      compiledBuiltIns.set(definition, compiled);
    }
    this.#byName.set(compiled.scenario.name, compiled);
  }

  /** Whether a scenario of this name is known. */
  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** Known scenario names, sorted. */
  names(): string[] {
    return [...this.#byName.keys()].sort();
  }

  /** Every known scenario definition, sorted by name (the built-in ones frozen and shared: see {@link ScenarioRegistry.addBuiltIn}). */
  list(): Scenario[] {
    return this.names().map((name) => this.#byName.get(name)!.scenario);
  }

  /**
   * Looks names up, in order, dropping duplicates. {@link NO_SCENARIO} alone is the empty set.
   * @param from where the names came from, for the message ("the X-Sandbox-Scenario header")
   * @throws HttpError 400 listing the known names when one is unknown, or when `none` comes with others
   */
  resolve(names: readonly string[], from?: string): CompiledScenario[] {
    const unique = new Set(names);
    if (unique.has(NO_SCENARIO)) {
      if (unique.size === 1) return [];
      const others = [...unique].filter((name) => name !== NO_SCENARIO).map((name) => clip(name));
      throw new HttpError(400, `${noScenarioAloneMessage(from ? ` (in ${from})` : '', others)}.`);
    }
    const result: CompiledScenario[] = [];
    for (const name of unique) {
      const found = this.#byName.get(name);
      if (!found) {
        throw new HttpError(400, `Unknown scenario '${clip(name)}'${from ? ` (from ${from})` : ''}. Known scenarios: ${this.names().join(', ')} (or ${NO_SCENARIO} for no scenario).`);
      }
      result.push(found);
    }
    return result;
  }
}

/**
 * Splits a comma-separated scenario list (`X-Sandbox-Scenario: slow, flaky`, `?__scenario=`,
 * `--scenario`, `SANDBOX_SCENARIO`) into names.
 */
export function splitScenarioNames(value: string | null | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}
