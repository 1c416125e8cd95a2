import type { AnyRoute } from '../../core/route.ts';

/** The credentials routes (nodeloom-api.md 3). */
export const credentialRoutes: AnyRoute[] = [];
