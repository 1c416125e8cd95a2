import { seededUnit } from '../core/seeded.ts';
import { WINDOW_MS } from '../core/rate-limit.ts';
import type { Role } from '../core/rbac.ts';
import type { StreamEffects } from '../core/route.ts';
import type { Effect, Rule, Scenario } from './definition.ts';
import { compileWhen } from './matcher.ts';

/**
 * Decides what the active scenarios do to one request: which rules hit it (method/path, role,
 * token, `after`, `times`, seeded `probability`), how much latency they add, and which terminal
 * effect (error, expired session, 403, 429, network error, stall) answers it instead of the API.
 * Deterministic: the n-th match of a rule draws from `(seed, scenario, rule, n)`, so the same
 * seed and the same requests fail the same way every run.
 */

/** A scenario with its rules compiled. */
export interface CompiledScenario {
  scenario: Scenario;
  rules: Array<{ rule: Rule; label: string; hits: (method: string, path: string) => boolean; except: Array<(m: string, p: string) => boolean> }>;
}

/** Compiles a validated scenario's patterns once. */
export function compileScenario(scenario: Scenario): CompiledScenario {
  return {
    scenario,
    rules: scenario.rules.map((rule, index) => ({
      rule,
      label: rule.name ?? `rule-${index}`,
      hits: compileWhen(rule.when),
      except: rule.except.map(compileWhen),
    })),
  };
}

/** What is known of a request when scenarios are evaluated. */
export interface ScenarioRequest {
  method: string;
  /** Raw URL path. */
  path: string;
  /** null for anonymous callers. */
  principal: { token?: string; roles: Role[] } | null;
}

/** The effects on a streamed answer (non-terminal, handed to the route). */
export type StreamEffect = Extract<Effect, { type: 'stream-stall' | 'stream-error' | 'stream-drop' | 'stream-pace' | 'chat-echo' }>;

/** The terminal effects (everything but latency, one-of and the stream effects). */
export type TerminalEffect = Exclude<Effect, { type: 'latency' } | { type: 'one-of' } | StreamEffect>;

/** The outcome of evaluating scenarios for one request. */
export interface ScenarioOutcome {
  /** Total added latency, ms. */
  latencyMs: number;
  /** The effect that answers the request instead of the API, if any. */
  terminal: { effect: TerminalEffect; scenario: string } | null;
  /** `scenario/rule (what)` labels for `X-Sandbox-Scenario-Applied` and the journal. */
  applied: string[];
  /** Effects on a streamed answer, or null when no rule chose one. */
  stream: StreamEffects | null;
}

/** Per-namespace match counters for `after` and `times` (`source|scenario#rule` → matches so far). */
export type RuleCounters = Map<string, number>;

/**
 * Evaluates the active scenarios, in order, for one request. Latency rules add up; the first
 * terminal effect wins and later rules are not counted.
 */
export function evaluateScenarios(
  active: readonly CompiledScenario[],
  request: ScenarioRequest,
  counters: RuleCounters,
  /** Counter space of the set: `server`, `binding:<principal>` or `request`. */
  source: string,
  seed: number,
  timing: { now: number; activatedAt: number },
): ScenarioOutcome {
  const outcome: ScenarioOutcome = { latencyMs: 0, terminal: null, applied: [], stream: null };
  for (const { scenario, rules } of active) {
    for (const { rule, label, hits, except } of rules) {
      if (!matches(rule, hits, except, request)) continue;
      const key = `${scenario.name}#${label}`;
      const counterKey = `${source}|${key}`;
      const n = (counters.get(counterKey) ?? 0) + 1;
      counters.set(counterKey, n);
      const after = rule.after ?? 0;
      if (n <= after) continue;
      if (rule.times !== undefined && n - after > rule.times) continue;
      if (rule.probability !== undefined && seededUnit(seed, `${key}:p:${n}`) >= rule.probability) continue;
      // rate-limited lasts to the end of the one-minute window it was switched on in (1.5), so
      // advancing the clock past X-RateLimit-Reset lets requests through again.
      if (rule.effect.type === 'rate-limited' && timing.now >= windowEnd(timing.activatedAt)) continue;
      let effect = rule.effect;
      if (effect.type === 'one-of') {
        effect = effect.effects[Math.floor(seededUnit(seed, `${key}:pick:${n}`) * effect.effects.length)]!;
      }
      if (effect.type === 'latency') {
        const ms =
          effect.ms ?? effect.min! + Math.floor(seededUnit(seed, `${key}:ms:${n}`) * (effect.max! - effect.min! + 1));
        outcome.latencyMs += ms;
        outcome.applied.push(`${scenario.name}/${label} (latency ${ms}ms)`);
        continue;
      }
      if (isStreamEffect(effect)) {
        const what = addStreamEffect((outcome.stream ??= {}), effect, `${key}:pace:${n}`);
        if (what) outcome.applied.push(`${scenario.name}/${label} (${what})`);
        continue;
      }
      outcome.applied.push(`${scenario.name}/${label} (${describe(effect)})`);
      outcome.terminal = { effect, scenario: scenario.name };
      return outcome;
    }
  }
  return outcome;
}

/** End of the one-minute rate window containing `at`, epoch ms. */
export function windowEnd(at: number): number {
  return (Math.floor(at / WINDOW_MS) + 1) * WINDOW_MS;
}

function matches(
  rule: Rule,
  hits: (m: string, p: string) => boolean,
  except: Array<(m: string, p: string) => boolean>,
  request: ScenarioRequest,
): boolean {
  if (!hits(request.method, request.path)) return false;
  if (except.some((e) => e(request.method, request.path))) return false;
  if (rule.principal === 'authenticated' && !request.principal) return false;
  if (rule.principal === 'anonymous' && request.principal) return false;
  if (rule.token !== undefined && request.principal?.token !== rule.token) return false;
  if (rule.role !== undefined) {
    const wanted = Array.isArray(rule.role) ? rule.role : [rule.role];
    if (!request.principal || !request.principal.roles.some((r) => wanted.includes(r))) return false;
  }
  return true;
}

function isStreamEffect(effect: Effect): effect is StreamEffect {
  return effect.type.startsWith('stream-') || effect.type === 'chat-echo';
}

/**
 * Adds a stream effect unless an earlier rule already chose that kind (the first rule wins, as the
 * first terminal effect does). A seeded pace keeps its range: the route draws each token's delay
 * from (seed, `paceKey`, token index).
 * @returns the label's description, or undefined when an earlier rule won
 */
function addStreamEffect(stream: StreamEffects, effect: StreamEffect, paceKey: string): string | undefined {
  switch (effect.type) {
    case 'stream-stall':
      if (stream.stall) return undefined;
      stream.stall = { afterEvents: effect.afterEvents, ms: effect.ms };
      return `stream-stall ${effect.ms}ms after ${effect.afterEvents} events`;
    case 'stream-error':
      if (stream.error) return undefined;
      stream.error = { afterEvents: effect.afterEvents, message: effect.message ?? 'The agent failed while generating the reply (injected stream error).' };
      return `stream-error after ${effect.afterEvents} events`;
    case 'stream-drop':
      if (stream.drop) return undefined;
      stream.drop = { afterEvents: effect.afterEvents };
      return `stream-drop after ${effect.afterEvents} events`;
    case 'stream-pace': {
      if (stream.pace) return undefined;
      const [min, max] = effect.ms !== undefined ? [effect.ms, effect.ms] : [effect.min!, effect.max!];
      stream.pace = { min, max, key: paceKey };
      return min === max ? `stream-pace ${min}ms` : `stream-pace ${min}-${max}ms`;
    }
    case 'chat-echo':
      if (stream.echo) return undefined;
      stream.echo = true;
      return 'chat-echo';
  }
}

function describe(effect: TerminalEffect): string {
  switch (effect.type) {
    case 'error':
      return `error ${effect.status}`;
    case 'stall':
      return `stall ${effect.ms}ms`;
    default:
      return effect.type;
  }
}
