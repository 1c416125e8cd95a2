import type { AnyRoute } from '../../core/route.ts';

/** The executions routes (nodeloom-api.md 3). */
export const executionRoutes: AnyRoute[] = [];
