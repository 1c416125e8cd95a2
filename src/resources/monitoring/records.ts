import { z } from 'zod';

/**
 * Stored shapes of the monitoring area (nodeloom-api.md 3.7). Anomalies and drift alerts are not
 * stored: they are derived from the execution history on read (detectors.ts); only their
 * acknowledgements are.
 */

const iso = z.iso.datetime();

/** Alert kinds that can be acknowledged ([INF] 3.7 #6). */
export const ALERT_TYPES = ['ANOMALY', 'DRIFT', 'SENTIMENT'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** Report frequencies ([INF] 3.7 #10). */
export const REPORT_FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY'] as const;

/**
 * A team's MonitoringConfig (3.7, documented fields), stored once a team changes it; `id` is the
 * team id. Without a record the documented defaults apply (config.ts).
 */
export const monitoringConfigRecord = z.object({
  id: z.string(),
  anomalyDetectionEnabled: z.boolean(),
  driftAlertEnabled: z.boolean(),
  sentimentTrackingEnabled: z.boolean(),
  alertThresholds: z.object({
    /** Ratio to the baseline at which token usage counts as a spike (2.0 = twice the usual). */
    tokenUsageSpike: z.number(),
    /** Error rate (0–1) whose rise over the baseline raises an ERROR_RATE drift alert. */
    errorRateThreshold: z.number(),
    /** Execution duration (ms) above which a duration spike can be flagged. */
    latencyThreshold: z.number(),
  }),
  notificationChannels: z.array(z.string()),
  updatedAt: iso,
});
export type MonitoringConfigRecord = z.output<typeof monitoringConfigRecord>;

/** An acknowledged alert; `id` is the alert's (derived, stable) id. */
export const alertAcknowledgementRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  alertType: z.enum(ALERT_TYPES),
  acknowledgedAt: iso,
  /** Id of the user (or token creator) who acknowledged it. */
  acknowledgedBy: z.string().nullable(),
});
export type AlertAcknowledgementRecord = z.output<typeof alertAcknowledgementRecord>;

/** A scheduled monitoring report ([INF] 3.7 #10). */
export const scheduledReportRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  name: z.string(),
  frequency: z.enum(REPORT_FREQUENCIES),
  recipients: z.array(z.string()),
  enabled: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: iso,
  updatedAt: iso,
});
export type ScheduledReportRecord = z.output<typeof scheduledReportRecord>;
