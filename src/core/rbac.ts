/**
 * Roles, the permission matrix and the SDK-token effective-role rule.
 * Source: nodeloom-api.md 2.1 (roles, ADMIN > BUILDER > OPERATOR > VIEWER; COMPLIANCE_OFFICER from
 * the self-hosted docs, [INF] wire value), 2.2 (matrix, D-RBAC), 2.3 (token role = lesser of token
 * role and creator's current role, [INF]), 2.4 (route minimums).
 *
 * Roles are modelled as permission sets (2.1 [INF]: COMPLIANCE_OFFICER is not part of the linear
 * hierarchy), so "lesser of two roles" is the intersection of their permissions.
 */

/** Team roles as sent on the wire. */
export const ROLES = ['ADMIN', 'BUILDER', 'OPERATOR', 'VIEWER', 'COMPLIANCE_OFFICER'] as const;
export type Role = (typeof ROLES)[number];

/** The linear part of the hierarchy, highest first. */
const LINEAR: readonly Role[] = ['ADMIN', 'BUILDER', 'OPERATOR', 'VIEWER'];

/**
 * Permissions a route can require, each mapped to the least linear role that holds it
 * (nodeloom-api.md 2.2, 2.4). COMPLIANCE_OFFICER holds what VIEWER holds plus `audit:view`.
 */
export const PERMISSIONS = {
  /** View workflows, execution history, dashboards. */
  'workflows:view': 'VIEWER',
  /** View and export execution history. */
  'executions:view': 'VIEWER',
  /** See a team, its plan and (for ADMIN) its members. */
  'teams:view': 'VIEWER',
  /** Read agent chat sessions (2.4 [INF]). */
  'chat:view': 'VIEWER',
  /** Create chat sessions, send messages, delete sessions (2.4 [INF]: OPERATOR). */
  'chat:use': 'OPERATOR',
  /** List widgets (2.4 [INF]). */
  'widgets:view': 'VIEWER',
  /** Create, update, delete widgets and regenerate their tokens (2.4 [INF]: BUILDER). */
  'widgets:manage': 'BUILDER',
  /** Monitoring reads (D-MON: "available to team members"). */
  'monitoring:view': 'VIEWER',
  /** Monitoring config and alert acknowledgement (2.4 [INF]: BUILDER). */
  'monitoring:manage': 'BUILDER',
  /** Guardrails check (D-GR: "Any team member (Viewer or above)"). */
  'guardrails:check': 'VIEWER',
  /** The SDK ingestion and control API with a valid SDK token (2.4 [INF]). */
  'sdk:use': 'VIEWER',
  /** Execute workflows, cancel executions. */
  'workflows:execute': 'OPERATOR',
  /** Create, edit, delete, activate and deactivate workflows. */
  'workflows:manage': 'BUILDER',
  /** Every credentials endpoint (D-CR: "All endpoints require the BUILDER role"). */
  'credentials:manage': 'BUILDER',
  /** Manage team members and roles; team update and delete. */
  'members:manage': 'ADMIN',
  /** Read audit logs, verify the chain, read reports (ADMIN; COMPLIANCE_OFFICER too, 2.1 [INF]). */
  'audit:view': 'ADMIN',
  /** Billing, security settings, audit settings, API tokens, agent halts. */
  'team:admin': 'ADMIN',
} as const satisfies Record<string, Role>;
/** A team permission. */
export type Permission = keyof typeof PERMISSIONS;

/** Extra permissions of COMPLIANCE_OFFICER beyond VIEWER's ("view-only + audit logs + compliance dashboard"). */
const COMPLIANCE_EXTRA: readonly Permission[] = ['audit:view'];

const GRANTS = new Map<Role, ReadonlySet<Permission>>();
for (const role of ROLES) {
  const granted = new Set<Permission>();
  const rank = role === 'COMPLIANCE_OFFICER' ? LINEAR.indexOf('VIEWER') : LINEAR.indexOf(role);
  for (const [permission, minimum] of Object.entries(PERMISSIONS) as Array<[Permission, Role]>) {
    if (LINEAR.indexOf(minimum) >= rank) granted.add(permission);
  }
  if (role === 'COMPLIANCE_OFFICER') for (const permission of COMPLIANCE_EXTRA) granted.add(permission);
  GRANTS.set(role, granted);
}

/** Whether `role` holds `permission`. */
export function hasPermission(role: Role, permission: Permission): boolean {
  return GRANTS.get(role)!.has(permission);
}

/** Every permission a role holds. */
export function permissionsOf(role: Role): ReadonlySet<Permission> {
  return GRANTS.get(role)!;
}

/** Whether every permission of `a` is also one of `b`'s. */
function within(a: Role, b: Role): boolean {
  for (const permission of GRANTS.get(a)!) if (!GRANTS.get(b)!.has(permission)) return false;
  return true;
}

/**
 * The lesser of two roles (nodeloom-api.md 2.3: a token acts with min(token role, creator role)):
 * the one whose permissions the other includes; when neither includes the other (OPERATOR and
 * COMPLIANCE_OFFICER), VIEWER, whose permissions are their intersection.
 */
export function lesserRole(a: Role, b: Role): Role {
  if (within(a, b)) return a;
  if (within(b, a)) return b;
  return 'VIEWER';
}

/** The least role holding a permission, for messages ("needs the BUILDER role or higher"). */
export function minimumRole(permission: Permission): string {
  const linear = PERMISSIONS[permission];
  const alsoCompliance = COMPLIANCE_EXTRA.includes(permission);
  return alsoCompliance ? `${linear} or COMPLIANCE_OFFICER role` : `${linear} role or higher`;
}
