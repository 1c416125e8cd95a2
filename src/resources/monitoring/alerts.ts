import { z } from 'zod';
import { pageQueryFields } from '../../core/paginate.ts';
import type { SandboxState } from '../../state.ts';
import { detectAnomalies, type Anomaly } from './anomalies.ts';
import { detectDrift, DRIFT_TYPES, type DriftAlert } from './drift.ts';
import { ALERT_TYPES, type AlertType } from './records.ts';
import { instantQuery } from './window.ts';
import { clip } from '../../core/clip.ts';

/**
 * Alert listings and acknowledgement (nodeloom-api.md 3.7 #6–#8, [INF] filters and shapes).
 * Alerts are derived (anomalies.ts, drift.ts); an acknowledgement is stored by alert id.
 */

/** Spring's `StringToBooleanConverter` words (trimmed, any case); a blank value is "not sent". */
const TRUE_WORDS = new Set(['true', 'on', 'yes', '1']);
const FALSE_WORDS = new Set(['false', 'off', 'no', '0']);

/**
 * A boolean query parameter bound as Spring MVC binds `@RequestParam Boolean`: `true`/`on`/`yes`/`1`
 * and `false`/`off`/`no`/`0` in any case (Python's `True` included), blank as absent, else 400.
 */
const bool = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const word = v?.trim().toLowerCase() ?? '';
      if (word === '') return undefined;
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      ctx.addIssue({ code: 'custom', message: `Query parameter '${name}' must be true or false; got '${clip(v)}'.` });
      return z.NEVER;
    })
    .meta({ type: 'boolean' }); // documented as a boolean (src/openapi/document.ts)
const optionalText = z.string().optional().transform((v) => (v === '' ? undefined : v));

/** `GET .../anomalies` query: page, `workflowId`, `minScore` (0–100), `acknowledged`, `from`/`to` (execution time). */
export const anomalyQuery = z.object({
  ...pageQueryFields(),
  workflowId: optionalText,
  minScore: z
    .string()
    .regex(/^\d+(\.\d+)?$/, "Query parameter 'minScore' must be a number from 0 to 100.")
    .transform(Number)
    .refine((n) => n <= 100, "Query parameter 'minScore' must be a number from 0 to 100.")
    .meta({ type: 'number', minimum: 0, maximum: 100 }) // documented as a number (src/openapi/document.ts)
    .optional(),
  acknowledged: bool('acknowledged'),
  from: instantQuery('from'),
  to: instantQuery('to'),
});

/** `GET .../drift-alerts` query: page, `workflowId`, `driftType`, `acknowledged`. */
export const driftQuery = z.object({
  ...pageQueryFields(),
  workflowId: optionalText,
  driftType: z.enum(DRIFT_TYPES, { error: `Query parameter 'driftType' must be one of ${DRIFT_TYPES.join(', ')}.` }).optional(),
  acknowledged: bool('acknowledged'),
});

/** `POST .../alerts/bulk-acknowledge` body ([INF] `{alertIds, alertType?}`). */
export const acknowledgeBody = z.object({
  alertIds: z
    .array(z.string().min(1), { error: 'alertIds is required: an array of alert ids (from the anomalies or drift-alerts lists).' })
    .min(1, 'alertIds must name at least one alert.')
    .max(1000, 'alertIds may name at most 1,000 alerts per call.'),
  alertType: z.enum(ALERT_TYPES, { error: `alertType must be one of ${ALERT_TYPES.join(', ')}.` }).optional(),
});

/** The acknowledgement fields an alert carries. */
function ackOf(state: SandboxState, id: string) {
  const ack = state.db.alertAcknowledgements.get(id);
  return { acknowledged: !!ack, acknowledgedAt: ack?.acknowledgedAt ?? null, acknowledgedBy: ack?.acknowledgedBy ?? null };
}

/** The team's anomalies matching the filters, newest first, with their acknowledgement. */
export function listAnomalies(state: SandboxState, teamId: string, query: z.output<typeof anomalyQuery>) {
  return detectAnomalies(state, teamId)
    .filter((a) => (query.workflowId === undefined || a.workflowId === query.workflowId) && (query.minScore === undefined || a.score >= query.minScore))
    .filter((a) => (query.from === undefined || a.at >= query.from) && (query.to === undefined || a.at <= query.to))
    .map(({ at: _at, ...anomaly }) => ({ ...anomaly, ...ackOf(state, anomaly.id) }))
    .filter((a) => query.acknowledged === undefined || a.acknowledged === query.acknowledged);
}

/** The team's drift alerts matching the filters, newest first, with their acknowledgement. */
export function listDriftAlerts(state: SandboxState, teamId: string, query: z.output<typeof driftQuery>) {
  return detectDrift(state, teamId)
    .filter((d) => (query.workflowId === undefined || d.workflowId === query.workflowId) && (query.driftType === undefined || d.driftType === query.driftType))
    .map((d) => ({ ...d, ...ackOf(state, d.id) }))
    .filter((d) => query.acknowledged === undefined || d.acknowledged === query.acknowledged);
}

/**
 * Acknowledges alerts of the team (anomalies and drift alerts as they stand now).
 * @returns `acknowledged` (newly), `alreadyAcknowledged`, and the ids that are no alert of the team
 *   (of that `alertType`, when given) as `notFound`
 */
export async function acknowledgeAlerts(state: SandboxState, teamId: string, body: z.output<typeof acknowledgeBody>, userId: string | null) {
  const current = new Map<string, AlertType>();
  const add = (alerts: Array<Anomaly | DriftAlert>, type: AlertType) => {
    if (body.alertType === undefined || body.alertType === type) for (const alert of alerts) current.set(alert.id, type);
  };
  add(detectAnomalies(state, teamId), 'ANOMALY');
  add(detectDrift(state, teamId), 'DRIFT');
  let acknowledged = 0;
  let alreadyAcknowledged = 0;
  const notFound: string[] = [];
  const ids: string[] = [];
  for (const id of new Set(body.alertIds)) {
    const type = current.get(id);
    const existing = state.db.alertAcknowledgements.get(id);
    if (existing && existing.teamId === teamId) alreadyAcknowledged += 1;
    else if (!type) notFound.push(id);
    else {
      await state.db.alertAcknowledgements.insert({ id, teamId, alertType: type, acknowledgedAt: state.clock.iso(), acknowledgedBy: userId });
      acknowledged += 1;
      ids.push(id);
    }
  }
  return { result: { acknowledged, alreadyAcknowledged, notFound }, ids };
}
