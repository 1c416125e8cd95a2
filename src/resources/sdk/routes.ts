import type { AnyRoute } from '../../core/route.ts';
import { sdkAgentRoutes } from './routes-agents.ts';
import { sdkDashboardRoutes } from './routes-dashboard.ts';
import { ebpfRoutes } from './routes-ebpf.ts';
import { sdkUtilityRoutes } from './routes-utilities.ts';

/**
 * Every SDK-area route (nodeloom-api.md 3.11): the `/api/sdk/v1` family the official SDKs and the
 * eBPF agent call (SDK tokens only), and the dashboard's agent management and data views.
 */
export const sdkRoutes: AnyRoute[] = [...sdkAgentRoutes, ...sdkUtilityRoutes, ...ebpfRoutes, ...sdkDashboardRoutes];
