import { z } from 'zod';
import { ROLES } from '../core/rbac.ts';
import { REASON_PHRASES, type ErrorStatus } from '../core/http-error.ts';
import { compileWhen } from './matcher.ts';

/**
 * The reserved scenario name that selects none: `X-Sandbox-Scenario: none` (or `?__scenario=none`)
 * runs that request with no scenario and the default data set, whatever the server or a binding
 * has on (request header > binding > server). Alone only; no definition may take the name.
 */
export const NO_SCENARIO = 'none';

/**
 * The message for {@link NO_SCENARIO} sent with other names (the HTTP 400 and the CLI's usage error).
 * @param where where the names came from, in parentheses with its preposition (" (in the X-Sandbox-Scenario header)"), or ''
 * @param others the other names, already bounded for echoing
 */
export function noScenarioAloneMessage(where: string, others: readonly string[]): string {
  return `'${NO_SCENARIO}' means no scenario and stands alone${where}: send either ${NO_SCENARIO} or the scenarios you want, such as ${others.join(', ')}`;
}

/**
 * Scenarios are data: a name, a one-line description, an optional data set, and rules. A rule says
 * which requests it hits (`when`: "METHOD /path" with `*` for one segment and `**` for any number,
 * optionally the caller's role or token) and what happens to them (`effect`). Rules can be limited
 * with `after` (skip the first N matching requests), `times` (then stop) and a seeded
 * `probability`.
 */

/** The longest value a scenario's response header may have, characters. */
const MAX_HEADER_VALUE = 4096;

/** Headers that frame the message or manage the connection (RFC 9112 6, RFC 9110 7.6.1): the host's to set. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'proxy-connection']);

const errorStatuses = Object.keys(REASON_PHRASES).map(Number) as ErrorStatus[];

const errorEffect = z.strictObject({
  type: z.literal('error'),
  status: z.number().refine((s) => errorStatuses.includes(s as ErrorStatus), {
    message: `status must be one of ${errorStatuses.join(', ')}`,
  }) as unknown as z.ZodType<ErrorStatus>,
  /** Message of the Spring body; a sensible default per status otherwise. */
  message: z.string().min(1).optional(),
  /**
   * Extra response headers: names are HTTP tokens other than the message framing and connection
   * headers the host owns (a `Content-Length` of the scenario's beside the real one made clients
   * refuse the answer); values are printable ASCII (a `Headers` object refuses characters past
   * U+00FF, and other non-ASCII bytes reach clients as mojibake), at most 4,096 characters.
   */
  headers: z
    .record(
      z.string(),
      z
        .string()
        .regex(/^[\t\x20-\x7e]*$/, 'header values are printable ASCII, without line breaks')
        // Node's and undici's clients refuse a response head over 16 KB: a value this long is a mistake.
        .max(MAX_HEADER_VALUE, `header values are at most ${MAX_HEADER_VALUE} characters`),
    )
    // Names checked here rather than by the record's key schema, whose failures zod reports only
    // as "Invalid key in record".
    .superRefine((headers, ctx) => {
      for (const name of Object.keys(headers)) {
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'header names are HTTP tokens such as "retry-after"' });
        else if (FRAMING_HEADERS.has(name.toLowerCase())) ctx.addIssue({ code: 'custom', path: [name], message: `the host sets ${[...FRAMING_HEADERS].join(', ')} itself; a scenario cannot` });
      }
    })
    .optional(),
});

const terminalEffects = [
  errorEffect,
  /** 401 as an expired session or revoked token would get; a cookie session is cleared. */
  z.strictObject({ type: z.literal('expired-session') }),
  /** 403 as a VIEWER would get. */
  z.strictObject({ type: z.literal('forbidden') }),
  /** 429 with `X-RateLimit-Remaining: 0`, for the rest of the one-minute window it was switched on in. */
  z.strictObject({ type: z.literal('rate-limited') }),
  /** The connection is reset (express) / `Response.error()` (msw). */
  z.strictObject({ type: z.literal('network-error') }),
  /** The response does not complete for `ms` milliseconds of real time (default 36,000). */
  z.strictObject({ type: z.literal('stall'), ms: z.number().int().positive().max(600_000).default(36_000) }),
] as const;

const latencyEffect = z
  .object({
    type: z.literal('latency'),
    /** Fixed added latency, ms. */
    ms: z.number().int().min(0).max(120_000).optional(),
    /** Seeded range, ms (inclusive). */
    min: z.number().int().min(0).max(120_000).optional(),
    max: z.number().int().min(0).max(120_000).optional(),
  })
  .refine((e) => e.ms !== undefined || (e.min !== undefined && e.max !== undefined && e.min <= e.max), {
    message: 'latency needs "ms", or "min" and "max" with min <= max',
  });

const oneOfEffect = z.strictObject({
  type: z.literal('one-of'),
  /** One of these is picked per hit, from the seed. */
  effects: z.array(z.discriminatedUnion('type', terminalEffects)).min(1),
});

/** How many events of a streamed answer go out before a stream fault (0: before the first). */
const afterEvents = z.number().int().min(0).max(100_000);

/**
 * Effects on a streamed answer (chat replies, nodeloom-api.md 3.5 [INF]). Not terminal: the route
 * still answers, and its event stream misbehaves. An answer that is not streamed (a chat message
 * with `Accept: application/json`) ignores all but `chat-echo`. A fault whose `afterEvents` is
 * past the reply's last event hits right before `done`.
 */
const streamEffects = [
  /** Sends nothing for `ms` (default 36,000, past the SDKs' 30 s timeout) after `afterEvents` events, then goes on. */
  z.strictObject({ type: z.literal('stream-stall'), afterEvents: afterEvents.default(3), ms: z.number().int().positive().max(600_000).default(36_000) }),
  /** Sends `event: error` `{message}` after `afterEvents` events and closes the stream cleanly (no `done`). */
  z.strictObject({ type: z.literal('stream-error'), afterEvents: afterEvents.default(5), message: z.string().min(1).optional() }),
  /** Cuts the stream after `afterEvents` events: a reset connection (express), an erroring body (msw). */
  z.strictObject({ type: z.literal('stream-drop'), afterEvents: afterEvents.default(5) }),
  /** Delay per token, ms of real time: fixed `ms`, or drawn per token from the seed in `min`..`max`. */
  z
    .strictObject({
      type: z.literal('stream-pace'),
      ms: z.number().int().min(0).max(60_000).optional(),
      min: z.number().int().min(0).max(60_000).optional(),
      max: z.number().int().min(0).max(60_000).optional(),
    })
    .refine((e) => e.ms !== undefined || (e.min !== undefined && e.max !== undefined && e.min <= e.max), {
      message: 'stream-pace needs "ms", or "min" and "max" with min <= max',
    }),
  /** The agent replies with the user's text exactly (echo mode, for rendering and escaping tests). */
  z.strictObject({ type: z.literal('chat-echo') }),
] as const;

/** The stream effect types. */
export const STREAM_EFFECT_TYPES = ['stream-stall', 'stream-error', 'stream-drop', 'stream-pace', 'chat-echo'] as const;

/**
 * The effect of a rule: an injected error, auth/limit failure, network fault, stall, latency, one
 * of several, or an effect on a streamed answer.
 */
export const effectSchema = z.discriminatedUnion('type', [...terminalEffects, latencyEffect, oneOfEffect, ...streamEffects]);
/** What a rule does to a request. */
export type Effect = z.output<typeof effectSchema>;

const METHOD_LIST = /^(\*|(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)(,(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS))*)$/;

/**
 * A path pattern segment: `*` (one segment), `**` (any number), `:name`, or literal URL path
 * characters. rou3 (which compiles patterns, src/scenarios/matcher.ts) would read `( ) [ ] { } + ?
 * \\` and a `*` inside a segment as its own syntax, or throw on them, so they are refused here.
 */
const PATH_SEGMENT = /^(\*\*?|:[A-Za-z_]\w*|[A-Za-z0-9._~!$&'=@%,;-]*)$/;

/** Whether a "METHOD /path" pattern is well formed (the grammar the README documents). */
function isWhen(w: string): boolean {
  const [methods, path, extra] = w.trim().split(/\s+/);
  if (extra !== undefined || !METHOD_LIST.test(methods ?? '') || !(path ?? '').startsWith('/')) return false;
  if (!path!.split('/').slice(1).every((segment) => PATH_SEGMENT.test(segment))) return false;
  try {
    compileWhen(w); // what the grammar cannot say: one ** at most, each :name once
    return true;
  } catch {
    return false;
  }
}
const WHEN_MESSAGE =
  'must look like "POST /api/workflows" or "* /api/credentials/**": methods (or *), a space, then a path whose segments are literal, * (one segment), ** (any number, once) or :name';

/** One rule: which requests it hits (`when`, `except`, `role`, `token`, `principal`), its effect and limits. */
export const ruleSchema = z.strictObject({
  /** Label used in `X-Sandbox-Scenario-Applied` (default: the rule's index). */
  name: z.string().min(1).optional(),
  /** "METHOD /path/pattern": `*` or a comma list of methods; `*` one segment, `**` any. */
  when: z
    .string()
    .default('* /api/**')
    .refine(isWhen, `when ${WHEN_MESSAGE}`),
  /** Requests this rule never hits, in the same "METHOD /path" form (e.g. "POST /api/auth/**"). */
  except: z.array(z.string().refine(isWhen, `except entries ${WHEN_MESSAGE}`)).default([]),
  /** Only callers with one of these effective roles (in their token's team, or any of a user's teams). */
  role: z.union([z.enum(ROLES), z.array(z.enum(ROLES)).min(1)]).optional(),
  /** Only requests made with this SDK token value (e.g. "sdk_sandbox_viewer"). */
  token: z.string().startsWith('sdk_').optional(),
  /** Only authenticated or only anonymous callers. */
  principal: z.enum(['authenticated', 'anonymous']).optional(),
  effect: effectSchema,
  /** Apply to this many matching requests, then stop. */
  times: z.number().int().positive().optional(),
  /** Let this many matching requests through first. */
  after: z.number().int().min(0).optional(),
  /** Chance (0..1) a matching request is hit, drawn from the sandbox seed. */
  probability: z.number().min(0).max(1).optional(),
});
/** One rule of a scenario. */
export type Rule = z.output<typeof ruleSchema>;

/** The built-in data sets a scenario can switch to. */
export const DATASETS = ['default', 'empty', 'large'] as const;
export type Dataset = (typeof DATASETS)[number];

/** A scenario definition: name, description, optional data set and rules; unknown keys are errors. */
export const scenarioSchema = z.strictObject({
  // A missing field says "required", not zod's "expected string, received undefined".
  name: z
    .string({ error: (issue) => (issue.input === undefined ? 'name is required (kebab-case: a-z, 0-9, -)' : undefined) })
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'name must be kebab-case (a-z, 0-9, -)')
    .refine((name) => name !== NO_SCENARIO, `name "${NO_SCENARIO}" is reserved: X-Sandbox-Scenario: ${NO_SCENARIO} runs a request with no scenario; pick another name`),
  description: z.string({ error: (issue) => (issue.input === undefined ? 'description is required (a line saying what the scenario does)' : undefined) }).min(1, 'description is required'),
  /** Serve requests from this data set instead of the default seeded one. */
  dataset: z.enum(DATASETS).optional(),
  rules: z.array(ruleSchema).default([]),
});
/** A scenario definition as users write it (input) and as the sandbox keeps it (output). */
export type ScenarioDefinition = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;

/**
 * Validates a scenario definition.
 * @param source where it came from, for the message ("scenarios/slow.json", "code")
 * @throws Error naming the source and the field, e.g.
 *   `Invalid scenario in scenarios/x.json: rules[0].effect.status: status must be one of ...`
 */
export function parseScenario(value: unknown, source: string): Scenario {
  const result = scenarioSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
  throw new Error(`Invalid scenario in ${source}: ${field || '(root)'}: ${issue.message}`);
}
