import { z } from 'zod';
import { HttpError } from '../../core/http-error.ts';
import { json } from '../../core/respond.ts';
import type { AnyRoute } from '../../core/route.ts';
import { PLAN_LIMITS } from '../../core/rate-limit.ts';
import type { SandboxState } from '../../state.ts';
import { defineRoute } from '../define-route.ts';
import { discoveredProcessSchema, ebpfProbeRecord, type EbpfProbeRecord } from './records.ts';

/**
 * The eBPF probe endpoints (nodeloom-api.md 3.11.5, SDK EBPF `internal/sender/batch.go`):
 * register → `{id}`, heartbeat (status only; the discovered processes are stored), config (read
 * and logged by the agent). Bodies are camelCase as the agent sends them (1.3); the config answer
 * uses the agent's own config keys (`internal/config/config.go`, snake_case). The agent's telemetry
 * goes to `POST /api/sdk/v1/telemetry` like any SDK's (`span_input`/`span_output` accepted there).
 */

const sdk = { auth: 'sdk-token', rateLimit: 'principal', permission: 'sdk:use', team: { from: 'principal' } } as const;

const registerBody = z.object({
  hostname: z.string({ error: 'hostname is required: the node the probe runs on.' }).min(1, 'hostname must not be empty.'),
  clusterName: z.string().nullish(),
  kernelVersion: z.string().nullish(),
  agentVersion: z.string().nullish(),
});

const PROCESS_DEFAULTS = { processName: '', executablePath: '', commandLine: '', pid: 0, cgroupPath: '', containerId: '', k8sPodName: '', k8sNamespace: '', llmCallCount: 0 };
const stripNulls = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;

// The agent sends Go ints; an absent process list means "none reported this time".
const heartbeatBody = z.object({
  processesMonitored: z.number({ error: 'processesMonitored is required and must be an integer.' }).int('processesMonitored must be an integer.').min(0),
  llmCallsIntercepted: z.number({ error: 'llmCallsIntercepted is required and must be an integer.' }).int('llmCallsIntercepted must be an integer.').min(0),
  discoveredProcesses: z
    .array(discoveredProcessSchema.partial().transform((p) => ({ ...PROCESS_DEFAULTS, ...stripNulls(p) })))
    .nullish(),
});


/** A team's probe by id, or a 404. */
function probeOf(state: SandboxState, teamId: string, id: string): EbpfProbeRecord {
  const probe = state.db.ebpfProbes.get(id);
  if (!probe || probe.teamId !== teamId) throw new HttpError(404, `eBPF probe ${id} not found: register it with POST /api/sdk/v1/ebpf/register and use the returned id.`);
  return probe;
}

/** A probe as the register and heartbeat answers show it (camelCase like the agent's bodies). */
function toProbeView(probe: EbpfProbeRecord) {
  return { ...probe, discoveredProcessCount: probe.discoveredProcesses.length };
}

/** {@link toProbeView}'s answer as a zod schema (OpenAPI only). */
const probeView = ebpfProbeRecord.extend({ discoveredProcessCount: z.number().int().min(0) });

/** The config answer's shape (OpenAPI only): the agent's own snake_case config keys. */
const probeConfigView = z.object({
  probe_id: z.string(),
  llm_endpoints: z.array(z.string()),
  pii_patterns: z.array(z.string()),
  prompt_injection_patterns: z.array(z.string()),
  blocked_endpoints: z.array(z.string()),
  rate_limit_per_minute: z.number().int().min(1),
  enable_enforcement: z.boolean(),
  enable_guardrails: z.boolean(),
  enable_proc_scan: z.boolean(),
});

/** The routes. */
export const ebpfRoutes: AnyRoute[] = [
  /**
   * `POST /api/sdk/v1/ebpf/register`: 201 `{id, ...}` for a new probe; a probe that registers again
   * (same hostname and cluster, e.g. after a restart) keeps its id and gets 200.
   */
  defineRoute({
    ...sdk,
    method: 'POST',
    path: '/api/sdk/v1/ebpf/register',
    response: { body: probeView },
    body: registerBody,
    audit: { action: 'EBPF_PROBE_REGISTERED', resourceType: 'EBPF_PROBE' },
    spec: { section: '3.11.5', inferred: true },
    async handler({ state, team, body, audit }) {
      const clusterName = body.clusterName ?? '';
      const existing = state.db.ebpfProbes.all().find((p) => p.teamId === team.id && p.hostname === body.hostname && p.clusterName === clusterName);
      const fields = { kernelVersion: body.kernelVersion ?? 'unknown', agentVersion: body.agentVersion ?? 'unknown' };
      const probe = existing
        ? (await state.db.ebpfProbes.update(existing.id, { ...fields, registeredAt: state.clock.iso() }))!
        : await state.db.ebpfProbes.insert({
            id: state.ids.uuid(),
            teamId: team.id,
            hostname: body.hostname,
            clusterName,
            ...fields,
            registeredAt: state.clock.iso(),
            lastHeartbeatAt: null,
            processesMonitored: 0,
            llmCallsIntercepted: 0,
            discoveredProcesses: [],
          });
      audit.resourceId = probe.id;
      audit.details = { hostname: probe.hostname, clusterName: probe.clusterName, agentVersion: probe.agentVersion };
      return json(toProbeView(probe), existing ? 200 : 201);
    },
  }),
  /** `POST /api/sdk/v1/ebpf/probes/:probeId/heartbeat`: 200 with the probe as stored now. */
  defineRoute({
    ...sdk,
    method: 'POST',
    path: '/api/sdk/v1/ebpf/probes/:probeId/heartbeat',
    response: { body: probeView },
    body: heartbeatBody,
    audit: { none: 'a heartbeat reports the probe\'s state; it changes no configuration' },
    spec: { section: '3.11.5', inferred: true },
    async handler({ state, team, params, body }) {
      const probe = probeOf(state, team.id, params.probeId!);
      const updated = await state.db.ebpfProbes.update(probe.id, {
        lastHeartbeatAt: state.clock.iso(),
        processesMonitored: body.processesMonitored,
        llmCallsIntercepted: body.llmCallsIntercepted,
        ...(body.discoveredProcesses && { discoveredProcesses: body.discoveredProcesses }),
      });
      return json(toProbeView(updated!));
    },
  }),
  /**
   * `GET /api/sdk/v1/ebpf/probes/:probeId/config`: the keys of the agent's own config
   * ([INF] 3.11.5), with the agent's defaults and the team plan's requests per minute.
   */
  defineRoute({
    ...sdk,
    method: 'GET',
    path: '/api/sdk/v1/ebpf/probes/:probeId/config',
    response: { body: probeConfigView },
    spec: { section: '3.11.5', inferred: true },
    handler({ state, team, params }) {
      const probe = probeOf(state, team.id, params.probeId!);
      return json({
        probe_id: probe.id,
        llm_endpoints: ['api.openai.com', 'api.anthropic.com', 'generativelanguage.googleapis.com', 'api.cohere.ai', 'api.mistral.ai'],
        pii_patterns: ['\\b\\d{3}-\\d{2}-\\d{4}\\b', '\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}\\b', '\\b\\d{4}[\\s-]?\\d{4}[\\s-]?\\d{4}[\\s-]?\\d{4}\\b'],
        prompt_injection_patterns: ['(?i)ignore\\s+(previous|above|all)\\s+(instructions|prompts?)', '(?i)you\\s+are\\s+now\\s+(DAN|jailbroken|unrestricted)'],
        blocked_endpoints: [],
        rate_limit_per_minute: PLAN_LIMITS[state.directory.planOf(team.id) ?? 'FREE'],
        enable_enforcement: false,
        enable_guardrails: true,
        enable_proc_scan: true,
      });
    },
  }),
];
