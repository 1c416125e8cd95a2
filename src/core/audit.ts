/**
 * The audit vocabulary routes declare (nodeloom-api.md 3.10 [INF] action and resource-type lists),
 * and what the pipeline hands the audit trail once a write has succeeded. The trail itself (hash
 * chain, storage, reads) lives in `src/resources/audit`; the sandbox injects it as an
 * {@link AuditSink}, so the core never imports it.
 */

/** Audit actions (3.10: `WORKFLOW_CREATED`, `MEMBER_ADDED`, `WORKFLOW_ACTIVATED` seen; the rest [INF]). */
export const AUDIT_ACTIONS = [
  'WORKFLOW_CREATED',
  'WORKFLOW_UPDATED',
  'WORKFLOW_DELETED',
  'WORKFLOW_ACTIVATED',
  'WORKFLOW_DEACTIVATED',
  'WORKFLOW_EXECUTED',
  'EXECUTION_CANCELLED',
  'CREDENTIAL_CREATED',
  'CREDENTIAL_UPDATED',
  'CREDENTIAL_DELETED',
  'CREDENTIAL_TESTED',
  'MEMBER_ADDED',
  'MEMBER_REMOVED',
  'MEMBER_ROLE_CHANGED',
  'TEAM_CREATED',
  'TEAM_UPDATED',
  'TEAM_DELETED',
  'USER_LOGIN',
  'USER_LOGOUT',
  'SDK_TOKEN_CREATED',
  'SDK_TOKEN_REVOKED',
  'WIDGET_CREATED',
  'WIDGET_UPDATED',
  'WIDGET_DELETED',
  'WIDGET_TOKEN_REGENERATED',
  'CHAT_SESSION_CREATED',
  'CHAT_SESSION_UPDATED',
  'CHAT_SESSION_DELETED',
  'CHAT_MESSAGE_SENT',
  'MONITORING_CONFIG_UPDATED',
  'ALERTS_ACKNOWLEDGED',
  'REPORT_CREATED',
  'REPORT_UPDATED',
  'REPORT_DELETED',
  'AUDIT_REPORT_GENERATED',
  'AUDIT_RETENTION_UPDATED',
  'AUDIT_SIEM_UPDATED',
  'AUDIT_SIEM_TESTED',
  'AUDIT_CHAIN_REBUILT',
  'AGENT_HALTED',
  'AGENT_RESUMED',
  'TEAM_HALTED',
  'TEAM_RESUMED',
  'AGENT_GUARDRAIL_POLICY_UPDATED',
  'AGENT_CALLBACK_SET',
  'AGENT_CALLBACK_REMOVED',
  'ALERT_WEBHOOK_CREATED',
  'ALERT_WEBHOOK_DELETED',
  'PROMPT_VERSION_CREATED',
  'REDTEAM_SCAN_STARTED',
  'EBPF_PROBE_REGISTERED',
] as const;
/** An audit action. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Resource types of audit entries (3.10 [INF], extended for the later areas). */
export const AUDIT_RESOURCE_TYPES = [
  'WORKFLOW',
  'CREDENTIAL',
  'TEAM',
  'MEMBER',
  'WIDGET',
  'SDK_TOKEN',
  'EXECUTION',
  'USER',
  'CHAT_SESSION',
  'MONITORING',
  'REPORT',
  'AUDIT',
  'AGENT',
  'WEBHOOK',
  'PROMPT',
  'REDTEAM_SCAN',
  'EBPF_PROBE',
] as const;
/** An audit resource type. */
export type AuditResourceType = (typeof AUDIT_RESOURCE_TYPES)[number];

/**
 * A route's audit declaration (mandatory on every non-GET route): the action a success records,
 * or `{ none: '<why this write is not audited>' }`.
 */
export type AuditDeclaration = { action: AuditAction; resourceType: AuditResourceType } | { none: string };

/**
 * What a handler may add to its route's pending audit entry (it never records one itself): the
 * record it created or changed, details for the log, and — for routes whose team is not the
 * request's (login, team create) — the teams and actor to record it under.
 */
export interface AuditNote {
  /** Id of the resource acted on; default the route's resource, else its `:id`-like param, else the team. */
  resourceId?: string;
  /** Free-form details (`{workflowName: "..."}`), JSON-serialisable. */
  details?: Record<string, unknown>;
  /** Teams to record the entry in; default the route's team. */
  teamIds?: string[];
  /** The acting user, when the request had no principal yet (login). */
  actor?: { id: string; name: string };
  /** Set to true to record nothing after all (e.g. a logout without a session). */
  skip?: boolean;
}

/** One audit event as the pipeline hands it over after a successful write. */
export interface AuditEvent {
  teamId: string;
  action: AuditAction;
  resourceType: AuditResourceType;
  resourceId: string | null;
  userId: string | null;
  userName: string | null;
  ipAddress: string;
  details: Record<string, unknown>;
  /** Sandbox time, ISO-8601. */
  createdAt: string;
}

/** Where audit events go (the sandbox injects the audit trail of `src/resources/audit`). */
export interface AuditSink<S = unknown> {
  /** Appends events to the state's audit trail (hash chain per team), inside the write's transaction. */
  record(state: S, events: readonly AuditEvent[]): Promise<void>;
}
