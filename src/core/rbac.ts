/**
 * Roles, the permission matrix and the SDK-token effective-role rule.
 * Source: nodeloom-api.md 2.1 (roles, ADMIN > BUILDER > OPERATOR > VIEWER), 2.2 (matrix, D-RBAC),
 * 2.3 (token role = lesser of token role and creator's current role, [INF]), 2.4 (route minimums).
 */

/** Team roles as sent on the wire. */
export const ROLES = ['ADMIN', 'BUILDER', 'OPERATOR', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { ADMIN: 4, BUILDER: 3, OPERATOR: 2, VIEWER: 1 };

/**
 * Permissions a route can require, each mapped to the least role that holds it (nodeloom-api.md 2.2).
 */
export const PERMISSIONS = {
  /** View workflows, execution history, dashboards. */
  'workflows:view': 'VIEWER',
  /** View and export execution history. */
  'executions:view': 'VIEWER',
  /** Execute workflows, cancel executions. */
  'workflows:execute': 'OPERATOR',
  /** Create, edit, delete, activate and deactivate workflows. */
  'workflows:manage': 'BUILDER',
  /** Every credentials endpoint (D-CR: "All endpoints require the BUILDER role"). */
  'credentials:manage': 'BUILDER',
  /** Manage team members and roles. */
  'members:manage': 'ADMIN',
  /** Billing, security settings, audit logs, API tokens. */
  'team:admin': 'ADMIN',
} as const satisfies Record<string, Role>;
export type Permission = keyof typeof PERMISSIONS;

/** Whether `role` is at least `minimum` in the ADMIN > BUILDER > OPERATOR > VIEWER order. */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

/** The lesser of two roles (nodeloom-api.md 2.3: a token acts with min(token role, creator role)). */
export function lesserRole(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}

/** Whether `role` holds `permission`. */
export function hasPermission(role: Role, permission: Permission): boolean {
  return roleAtLeast(role, PERMISSIONS[permission]);
}
