import type { AnyRoute } from './core/route.ts';
import { authRoutes } from './resources/auth/routes.ts';
import { auditRoutes } from './resources/audit/routes.ts';
import { credentialRoutes } from './resources/credentials/routes.ts';
import { executionRoutes } from './resources/executions/routes.ts';
import { guardrailRoutes } from './resources/guardrails/routes.ts';
import { workflowRoutes } from './resources/workflows/routes.ts';
import { teamRoutes } from './resources/teams/routes.ts';
import { sdkTokenRoutes } from './resources/sdk-tokens/routes.ts';
import { chatRoutes } from './resources/chat/routes.ts';
import { publicWidgetRoutes } from './resources/widgets/public-routes.ts';
import { widgetRoutes } from './resources/widgets/routes.ts';
import { sdkRoutes } from './resources/sdk/routes.ts';
import { monitoringRoutes } from './resources/monitoring/routes.ts';

/** Every NodeLoom route the sandbox serves, in one list the router compiles once. */
export const apiRoutes: readonly AnyRoute[] = [
  ...authRoutes,
  ...workflowRoutes,
  ...executionRoutes,
  ...credentialRoutes,
  ...teamRoutes,
  ...sdkTokenRoutes,
  ...auditRoutes,
  ...chatRoutes,
  ...widgetRoutes,
  ...publicWidgetRoutes,
  ...guardrailRoutes,
  ...sdkRoutes,
  ...monitoringRoutes,
];
