import type { AnyRoute } from '../../core/route.ts';

/** The workflows routes (nodeloom-api.md 3). */
export const workflowRoutes: AnyRoute[] = [];
