import { z } from 'zod';

/**
 * Stored credential shape (nodeloom-api.md 3.4). `data` holds the secret key/values and is
 * write-only on the wire: responses carry a masked preview instead.
 */
export const credentialRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  name: z.string(),
  type: z.string(),
  data: z.record(z.string(), z.string()),
  createdBy: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  lastTestedAt: z.iso.datetime().nullable(),
  testStatus: z.enum(['SUCCESS', 'FAILED']).nullable(),
});
export type CredentialRecord = z.output<typeof credentialRecord>;
