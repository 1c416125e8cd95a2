import { z } from 'zod';
import { json, noContent } from '../../core/respond.ts';
import type { AnyRoute } from '../../core/route.ts';
import { defineRoute } from '../define-route.ts';
import { createWidgetBody, embedCodeView, regeneratedTokenView, updateWidgetBody, widgetParams, widgetView } from './schema.ts';
import { createWidget, embedCode, listWidgets, loadWidget, regenerateToken, toWidget, updateWidget } from './service.ts';

/**
 * The dashboard widget routes (nodeloom-api.md 3.6 #1-#6) under `/api/teams/:teamId/widgets`.
 * Roles (2.4 [INF]): VIEWER reads (`widgets:view`), BUILDER writes (`widgets:manage`). Every
 * write is audited. A widget of another team answers 404.
 */

const team = { from: 'path', param: 'teamId' } as const;

/** Every dashboard widget route. */
export const widgetRoutes: AnyRoute[] = [
  // 3.6 #1: a plain array of Widget, newest first (no tokens).
  defineRoute({
    method: 'GET',
    path: '/api/teams/:teamId/widgets',
    response: { body: z.array(widgetView) },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'widgets:view',
    team,
    spec: { section: '3.6' },
    handler: ({ state, team }) => json(listWidgets(state, team.id).map((w) => toWidget(w))),
  }),
  // 3.6 #2: 201 Widget with its fresh `token` [INF]; the workflow needs an AI Agent node (D-WSET).
  defineRoute({
    method: 'POST',
    path: '/api/teams/:teamId/widgets',
    response: { body: widgetView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'widgets:manage',
    team,
    body: createWidgetBody,
    audit: { action: 'WIDGET_CREATED', resourceType: 'WIDGET' },
    spec: { section: '3.6' },
    async handler({ state, team, principal, body, audit }) {
      const widget = await createWidget(state, team.id, principal, body);
      audit.resourceId = widget.id;
      audit.details = { widgetName: widget.name, workflowId: widget.workflowId };
      return json(toWidget(widget, true), 201);
    },
  }),
  // 3.6 #3: partial update, 200 Widget [INF].
  defineRoute({
    method: 'PUT',
    path: '/api/teams/:teamId/widgets/:id',
    response: { body: widgetView },
    params: widgetParams,
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'widgets:manage',
    team,
    body: updateWidgetBody,
    audit: { action: 'WIDGET_UPDATED', resourceType: 'WIDGET' },
    spec: { section: '3.6' },
    async handler({ state, team, params, body, audit }) {
      const widget = loadWidget(state, team.id, params.id);
      audit.resourceId = widget.id;
      audit.details = { widgetName: body.name ?? widget.name, fields: Object.keys(body) };
      return json(toWidget(await updateWidget(state, widget, body)));
    },
  }),
  // 3.6 #4: 204 [INF]; the embed token is dead at once.
  defineRoute({
    method: 'DELETE',
    path: '/api/teams/:teamId/widgets/:id',
    params: widgetParams,
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'widgets:manage',
    team,
    audit: { action: 'WIDGET_DELETED', resourceType: 'WIDGET' },
    spec: { section: '3.6', inferred: true },
    async handler({ state, team, params, audit }) {
      const widget = loadWidget(state, team.id, params.id);
      audit.resourceId = widget.id;
      audit.details = { widgetName: widget.name };
      await state.db.widgets.delete(widget.id);
      return noContent();
    },
  }),
  // 3.6 #5: `{embedCode}`, a script tag for this sandbox's /widget.js.
  defineRoute({
    method: 'GET',
    path: '/api/teams/:teamId/widgets/:id/embed-code',
    response: { body: embedCodeView },
    params: widgetParams,
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'widgets:view',
    team,
    spec: { section: '3.6' },
    handler: ({ state, team, params, url }) => json(embedCode(url.origin, loadWidget(state, team.id, params.id))),
  }),
  // 3.6 #6: `{token, widgetId}`; the old token is dead at once.
  defineRoute({
    method: 'POST',
    path: '/api/teams/:teamId/widgets/:id/regenerate-token',
    response: { body: regeneratedTokenView },
    params: widgetParams,
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'widgets:manage',
    team,
    audit: { action: 'WIDGET_TOKEN_REGENERATED', resourceType: 'WIDGET' },
    spec: { section: '3.6' },
    async handler({ state, team, params, audit }) {
      const widget = await regenerateToken(state, loadWidget(state, team.id, params.id));
      audit.resourceId = widget.id;
      audit.details = { widgetName: widget.name };
      return json({ token: widget.token, widgetId: widget.id });
    },
  }),
];
