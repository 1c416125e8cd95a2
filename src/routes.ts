import type { AnyRoute } from './core/route.ts';
import { authRoutes } from './resources/auth/routes.ts';
import { credentialRoutes } from './resources/credentials/routes.ts';
import { executionRoutes } from './resources/executions/routes.ts';
import { guardrailRoutes } from './resources/guardrails/routes.ts';
import { workflowRoutes } from './resources/workflows/routes.ts';
import { teamRoutes } from './resources/teams/routes.ts';
import { sdkTokenRoutes } from './resources/sdk-tokens/routes.ts';

/** Every NodeLoom route the sandbox serves, in one list the router compiles once. */
export const apiRoutes: readonly AnyRoute[] = [...authRoutes, ...workflowRoutes, ...executionRoutes, ...credentialRoutes, ...teamRoutes, ...sdkTokenRoutes, ...guardrailRoutes];
