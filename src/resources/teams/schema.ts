import { z } from 'zod';
import { ROLES } from '../../core/rbac.ts';

/**
 * Request schemas of the teams and members routes (nodeloom-api.md 3.9). Messages follow the
 * documented style ("Workflow name is required", 1.4) and name the fix.
 */

/** The 400 message for a role outside the enum: names every allowed role (3.9 [INF] guard). */
export const ROLE_MESSAGE = `role must be one of ${ROLES.join(', ')}`;

/** A team role (nodeloom-api.md 2.1; COMPLIANCE_OFFICER [INF]). */
export const roleField = z.enum(ROLES, {
  error: (issue) => (issue.input === undefined || issue.input === null ? `role is required: ${ROLE_MESSAGE}` : `${ROLE_MESSAGE}, got ${JSON.stringify(issue.input)}`),
});

const teamName = z
  .string({ error: (issue) => (issue.input == null ? 'Team name is required' : 'Team name must be a string') })
  .trim()
  .min(1, 'Team name is required')
  .max(255, 'Team name must be at most 255 characters');

const teamDescription = z.string({ error: 'Team description must be a string or null' }).max(2000, 'Team description must be at most 2000 characters').nullable();

/** `POST /api/teams` body (3.9 #3): `name` required, `description` optional. */
export const createTeamBody = z.object({ name: teamName, description: teamDescription.optional() });
/** A validated team create body. */
export type CreateTeamBody = z.output<typeof createTeamBody>;

/** `PUT /api/teams/:teamId` body (3.9 #4): `name` and `description`, both optional. */
export const updateTeamBody = z.object({ name: teamName.optional(), description: teamDescription.optional() });
/** A validated team update body. */
export type UpdateTeamBody = z.output<typeof updateTeamBody>;

/** `POST /api/teams/:teamId/members` body ([INF] 3.9 #7): `{email, role}`. */
export const addMemberBody = z.object({
  email: z
    .string({ error: (issue) => (issue.input == null ? 'email is required: the address of the user to add' : 'email must be a string') })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'email must be an email address such as new.member@acme.test' })),
  role: roleField,
});
/** A validated add-member body (email lower-cased). */
export type AddMemberBody = z.output<typeof addMemberBody>;

/** `PUT /api/teams/:teamId/members/:userId` body ([INF] 3.9 #8): `{role}`. */
export const changeRoleBody = z.object({ role: roleField });
/** A validated role change body. */
export type ChangeRoleBody = z.output<typeof changeRoleBody>;

/** A team as `GET /api/teams` lists it (3.9), with the caller's role. For the OpenAPI document. */
export const teamListItem = z.object({ id: z.string(), name: z.string(), memberCount: z.number().int().min(0), plan: z.string(), role: z.enum(ROLES), createdAt: z.iso.datetime() });

/** A member (3.9). */
export const memberView = z.object({ userId: z.string(), email: z.string(), firstName: z.string(), lastName: z.string(), role: z.enum(ROLES), joinedAt: z.iso.datetime() });

/** `POST /api/teams` answer (201): the new team's basics. For the OpenAPI document. */
export const createdTeamView = z.object({ id: z.string(), name: z.string(), description: z.string().nullable(), createdAt: z.iso.datetime() });

/** A team in detail (3.9: get and update answers). For the OpenAPI document. */
export const teamDetailView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  memberCount: z.number().int().min(0),
  plan: z.string(),
  workflowCount: z.number().int().min(0),
  credentialCount: z.number().int().min(0),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
