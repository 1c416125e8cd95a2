import { z } from 'zod';
import { ROLES } from '../../core/rbac.ts';

/** Answers of the auth routes (nodeloom-api.md 3.1), for the OpenAPI document. */

/** The login user object (3.1): `{id, firstName, lastName, email, teams: [{teamId, teamName, role}]}`. */
export const userObject = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  teams: z.array(z.object({ teamId: z.string(), teamName: z.string(), role: z.enum(ROLES) })),
});

/** `{"message": "..."}` (3.1 refresh and logout, 3.9 team delete). */
export const messageBody = z.object({ message: z.string() });
