import { z } from 'zod';
import { FIXED_TEAMS, FIXED_TOKENS, FIXED_USERS, SANDBOX_PASSWORD } from '../../fixtures/identities.ts';
import { FIXED_WIDGETS } from '../../fixtures/fixed-widgets.ts';
import { PLAN_LIMITS } from '../core/rate-limit.ts';
import { clip } from '../core/clip.ts';
import { HttpError } from '../core/http-error.ts';
import { json, noContent } from '../core/respond.ts';
import { createControls, parseTime } from '../controls.ts';
import type { Namespace } from '../namespace.ts';
import { guardrailRuleAdminRoutes } from './guardrail-rules-admin.ts';
import { splitScenarioNames } from '../scenarios/registry.ts';
import { BUILT_IN_SCENARIOS } from '../../scenarios/index.ts';
import { tamperEntry } from '../resources/audit/chain-repair.ts';
import { SNAPSHOT_MAX_DEPTH } from '../snapshot.ts';
import { sdkControlRoutes } from './sdk-control-routes.ts';
import { parseJournalQuery, toHar, waitForMatch } from './journal-export.ts';
import type { ApiRequest } from '../core/api-request.ts';

/**
 * The control plane's routes (`/__sandbox/*`), one per line of the README's control table. Each
 * acts on the namespace the request names (`X-Sandbox-Namespace`, default `default`).
 */

/** What an admin handler receives. */
export interface AdminContext {
  ns: Namespace;
  url: URL;
  /** The route's path parameters, percent-decoded (a malformed one was already answered 400). */
  params: Record<string, string>;
  body: unknown;
  /** Names of every namespace created so far. */
  namespaces: () => string[];
  /** The control request itself (its abort signal ends a long-poll when the client leaves). */
  request: ApiRequest;
  /** Drops a namespace (not the default one): true when it existed. */
  deleteNamespace: (name: string) => boolean;
  /** Every control route (for the `GET /__sandbox` index). */
  routes: readonly AdminRoute[];
}

/** One control route. */
export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: z.ZodType;
  /** Deepest JSON nesting the body may have (default: Jackson's 1,000, see core/json-depth.ts). */
  maxDepth?: number;
  /** True for routes about the whole sandbox: they ignore X-Sandbox-Namespace and create none. */
  global?: boolean;
  /** One line for the `GET /__sandbox` index: what the endpoint does and the body or query it takes. */
  description: string;
  handler: (ctx: AdminContext) => Response | Promise<Response>;
}

const scenarioNames = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : splitScenarioNames(v)));

const clockState = (ns: Namespace) => ({ now: ns.clock.iso(), epochMs: ns.clock.now(), frozen: ns.clock.frozen });

/** zod's own text for 1.5 or "7" read "expected int, received number" / "expected number, received string". */
const SEED_MESSAGE = 'seed must be an integer, such as {"seed": 42}';

/** Every control route. */
export const adminRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/__sandbox/identities',
    description: 'The fixed users, passwords, SDK tokens and teams.',
    global: true,
    handler: () =>
      json({
        password: SANDBOX_PASSWORD,
        teams: FIXED_TEAMS.map((t) => ({ ...t, rateLimitPerMinute: PLAN_LIMITS[t.plan] })),
        users: FIXED_USERS.map((u) => ({ ...u, password: SANDBOX_PASSWORD })),
        tokens: FIXED_TOKENS,
        // Seeded widgets' embed tokens (3.6), for /widget.js and /api/public/widgets/:token/... (not in the empty data set).
        widgets: FIXED_WIDGETS.map(({ id, teamId, name, token, allowedDomains }) => ({ id, teamId, name, token, allowedDomains })),
      }),
  },
  {
    method: 'POST',
    path: '/__sandbox/reset',
    description: 'Back to the seeded state (data, clock, rate windows, journal, scenarios). Body {seed?, scenario?}.',
    body: z.object({ seed: z.number({ error: SEED_MESSAGE }).int({ error: SEED_MESSAGE }).optional(), scenario: scenarioNames.optional() }).optional(),
    async handler({ ns, body }) {
      const options = (body ?? {}) as { seed?: number; scenario?: string[] };
      await createControls(ns).reset(options);
      return json({ namespace: ns.name, seed: ns.seed, clock: clockState(ns), scenarios: ns.switchboard.describe() });
    },
  },
  { method: 'GET', path: '/__sandbox/snapshot', description: 'The whole state of the namespace as JSON.', handler: async ({ ns }) => json(await createControls(ns).snapshot()) },
  {
    method: 'PUT',
    path: '/__sandbox/snapshot',
    description: 'Restores a snapshot exactly.',
    body: z.unknown(),
    maxDepth: SNAPSHOT_MAX_DEPTH,
    async handler({ ns, body }) {
      await createControls(ns).restore(body as never);
      return json({ namespace: ns.name, seed: ns.seed, clock: clockState(ns) });
    },
  },
  { method: 'GET', path: '/__sandbox/clock', description: 'The sandbox clock: {now, epochMs, frozen}.', handler: ({ ns }) => json(clockState(ns)) },
  {
    method: 'PUT',
    path: '/__sandbox/clock',
    description: 'Freezes, resumes or sets the clock. Body {frozen?, at?}.',
    body: z
      .object({ frozen: z.boolean().optional(), at: z.union([z.number(), z.string()]).optional() })
      .refine((b) => b.frozen !== undefined || b.at !== undefined, 'Send {"frozen": true|false} and/or {"at": "<ISO-8601 time>"}'),
    handler({ ns, body }) {
      const { frozen, at } = body as { frozen?: boolean; at?: number | string };
      const time = at === undefined ? undefined : parseTime(at, 'at');
      // Freeze at the time given in one step: set-then-freeze read the running clock again and
      // froze it up to a millisecond later when real time ticked in between.
      if (frozen === true) ns.clock.freeze(time);
      else {
        if (frozen === false) ns.clock.resume();
        if (time !== undefined) ns.clock.set(time);
      }
      return json(clockState(ns));
    },
  },
  {
    method: 'POST',
    path: '/__sandbox/clock/advance',
    description: 'Moves the clock forward. Body {"ms": 61000} or {"ms": "61s"}.',
    body: z.object({ ms: z.union([z.number(), z.string()], { error: 'Send {"ms": 61000} or {"ms": "61s"}' }) }),
    handler({ ns, body }) {
      const { ms } = body as { ms: number | string };
      // Said apart from "Invalid duration": a harness sending -1000 wants to go back, which is a set.
      if (typeof ms === 'number' ? ms < 0 : ms.trim().startsWith('-')) {
        throw new HttpError(400, `The clock only moves forward, got ${JSON.stringify(ms)}: to go back, set the time with PUT /__sandbox/clock {"at": "2026-11-01T12:00:00Z"}.`);
      }
      try {
        createControls(ns).clock.advance(ms);
      } catch (error) {
        throw new HttpError(400, (error as Error).message);
      }
      return json(clockState(ns));
    },
  },
  { method: 'GET', path: '/__sandbox/scenario', description: 'The scenarios switched on (server-wide and per caller).', handler: ({ ns }) => json(ns.switchboard.describe()) },
  {
    method: 'PUT',
    path: '/__sandbox/scenario',
    description: 'Switches scenarios on. Body {names, token?, user?}.',
    body: z.object({
      names: scenarioNames,
      token: z.string().startsWith('sdk_', 'token must be an SDK token value such as "sdk_sandbox_viewer"').optional(),
      user: z.string().min(1).optional(),
    }),
    handler({ ns, body }) {
      const { names, token, user } = body as { names: string[]; token?: string; user?: string };
      if (token && user) throw new HttpError(400, 'Send either "token" or "user" to bind scenarios to one caller, not both.');
      const controls = createControls(ns).scenarios;
      const principal = token ?? user?.toLowerCase();
      if (principal) controls.useFor(principal, ...names);
      else controls.use(...names);
      return json(ns.switchboard.describe());
    },
  },
  {
    method: 'DELETE',
    path: '/__sandbox/scenario',
    description: 'Switches scenarios off (?token= or ?user= for one caller only).',
    handler({ ns, url }) {
      // Without a caller this clears every scenario of the namespace, so a typo (?tokn=) or an empty
      // value (?token=${undefined}) is refused instead of clearing more than was asked.
      const usage = 'send ?token=<sdk_...> or ?user=<email> to switch off one caller\'s scenarios, or no query to switch off all of them';
      const unknown = [...url.searchParams.keys()].find((name) => name !== 'token' && name !== 'user');
      if (unknown !== undefined) throw new HttpError(400, `Unknown query parameter "${clip(unknown)}" of DELETE /__sandbox/scenario: ${usage}.`);
      const token = url.searchParams.get('token');
      const user = url.searchParams.get('user');
      if (token !== null && user !== null) throw new HttpError(400, `Send either "token" or "user" to switch off one caller's scenarios, not both.`);
      if (token === '' || user === '') throw new HttpError(400, `${token === '' ? 'token' : 'user'} is empty: ${usage}.`);
      // As PUT's body checks it: a token that is no SDK token (?token=viewer) is bound to nobody, so
      // a 200 would leave the caller's scenarios on while the harness believed them off.
      if (token !== null && !token.startsWith('sdk_')) throw new HttpError(400, `token must be an SDK token value such as "sdk_sandbox_viewer", got "${clip(token)}": ${usage}.`);
      const key = token ?? user?.toLowerCase();
      if (key) ns.switchboard.bind(key, [], ns.clock.now());
      else ns.switchboard.clear();
      return json(ns.switchboard.describe());
    },
  },
  { method: 'GET', path: '/__sandbox/scenarios', description: 'Every known scenario with its rules.', global: true, handler: ({ ns }) => json(ns.registry.list()) },
  {
    method: 'GET',
    path: '/__sandbox/requests',
    description: 'The request journal, newest first: ?method=&path=&status=&since=&limit=; &wait=5s long-polls (at most 30s) until a match arrives.',
    async handler({ ns, url, request }) {
      const { filter, waitMs } = parseJournalQuery(url.searchParams);
      const found = waitMs === undefined ? undefined : await waitForMatch(ns.journal, filter, waitMs, request.signal);
      const entries = ns.journal.list(filter);
      return json({
        namespace: ns.name,
        capacity: ns.journal.capacity,
        total: ns.journal.size,
        size: ns.journal.count(filter),
        ...(found === undefined ? {} : { timedOut: !found }),
        entries,
      });
    },
  },
  {
    method: 'GET',
    path: '/__sandbox/requests.har',
    description: 'The journal (same filters) as a HAR 1.2 file for browser devtools (Network panel: Import HAR).',
    handler({ ns, url }) {
      const { filter } = parseJournalQuery(url.searchParams);
      return json(toHar(ns.journal.list(filter)), 200, {
        'content-disposition': `attachment; filename="nodeloom-sandbox-${ns.name}.har"`,
      });
    },
  },
  {
    method: 'DELETE',
    path: '/__sandbox/requests',
    description: 'Clears the journal (all of it: no query).',
    handler({ ns, url }) {
      // It clears every entry: a harness that sent GET's filters (?method=POST) expecting to drop
      // only those would lose the rest, so a query is refused instead of ignored.
      const name = url.searchParams.keys().next().value;
      if (name !== undefined) {
        throw new HttpError(
          400,
          `DELETE /__sandbox/requests clears the whole journal and takes no query parameter, got "${clip(name)}". Send it without a query; to read some entries, use GET /__sandbox/requests?method=&path=&status=&since=.`,
        );
      }
      ns.journal.clear();
      return noContent();
    },
  },
  {
    // Breaks a team's audit chain on purpose (issue 6), so clients can test their "tampered" warning.
    method: 'POST',
    path: '/__sandbox/audit/tamper',
    description: "Breaks a team's audit chain on purpose. Body {teamId, entryId?}.",
    body: z.strictObject(
      {
        teamId: z.string({ error: 'teamId is required: the team whose audit chain to break, e.g. "0a1c3e00-0000-4000-8000-00000000ac01".' }).min(1),
        entryId: z.string().min(1).optional(),
      },
      { error: 'Send {"teamId": "<team id>"} and optionally "entryId" (default: the middle entry of the chain).' },
    ),
    async handler({ ns, body }) {
      const { teamId, entryId } = body as { teamId: string; entryId?: string };
      return json({ namespace: ns.name, ...(await tamperEntry(await ns.state(), teamId, entryId)) });
    },
  },
  { method: 'GET', path: '/__sandbox/namespaces', description: 'The namespaces in use.', global: true, handler: ({ namespaces }) => json({ namespaces: namespaces() }) },
  ...guardrailRuleAdminRoutes, // GET/PUT /__sandbox/guardrails/rules (src/admin/guardrail-rules-admin.ts)
  ...sdkControlRoutes,
  {
    method: 'DELETE',
    path: '/__sandbox/namespaces/:name',
    global: true,
    description: 'Drops a namespace (its data, clock, scenarios, journal); it is built afresh on its next use.',
    handler({ params, deleteNamespace }) {
      const name = params.name!;
      if (name === 'default') throw new HttpError(400, 'The default namespace cannot be deleted: POST /__sandbox/reset returns it to the seeded state.');
      if (!deleteNamespace(name)) throw new HttpError(404, `No namespace "${name}": GET /__sandbox/namespaces lists them.`);
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/__sandbox/scenarios',
    global: true,
    description: 'Defines a scenario (the body is its definition; see the README) for every namespace, without switching it on; 409 for a built-in name.',
    body: z.unknown(),
    handler({ ns, body }) {
      // Definitions are shared by every namespace and outlive resets: one harness worker must not
      // change a built-in (`server-error`, `large`, ...) under the others. Files (--scenarios-dir)
      // and scenarios.define in code, the server owner's setup, may still replace one.
      const name = (body as { name?: unknown } | null)?.name;
      if (typeof name === 'string' && BUILT_IN_SCENARIOS.some((builtIn) => builtIn.name === name)) {
        throw new HttpError(409, `'${name}' is a built-in scenario, shared by every namespace: define yours under another name (a file in --scenarios-dir or scenarios.define() in code can replace a built-in at start).`);
      }
      return json(ns.registry.add(body as never, `definition "${String(name)}"`), 201);
    },
  },
  {
    method: 'GET',
    path: '/__sandbox',
    global: true,
    description: 'This list of control endpoints.',
    handler: ({ routes }) =>
      json({
        description: 'nodeloom-sandbox control plane. Send X-Sandbox-Namespace: <name> to act on a namespace (default: "default"). Open /__sandbox/ in a browser for the control page.',
        endpoints: [
          ...routes.map((route) => ({ method: route.method, path: route.path, description: route.description })),
          // Served beside the control plane (src/openapi/serve.ts), public even with an admin token.
          { method: 'GET', path: '/__sandbox/docs', description: 'The API reference page (Swagger UI, offline); "Try it" calls this sandbox. No admin token needed.' },
        ],
      }),
  },
];
