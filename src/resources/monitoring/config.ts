import { z } from 'zod';
import type { SandboxState } from '../../state.ts';
import type { MonitoringConfigRecord } from './records.ts';

/**
 * A team's MonitoringConfig (nodeloom-api.md 3.7 #1, #2): the documented defaults until the team
 * changes something with a partial `PUT`. The thresholds drive the detectors (detectors.ts).
 */

/** The MonitoringConfig as the API shows it (documented fields, 3.7). */
export type MonitoringConfig = Omit<MonitoringConfigRecord, 'id' | 'updatedAt'>;

/** The documented example values, used as defaults (3.7). */
export const DEFAULT_MONITORING_CONFIG: MonitoringConfig = {
  anomalyDetectionEnabled: true,
  driftAlertEnabled: true,
  sentimentTrackingEnabled: false,
  alertThresholds: { tokenUsageSpike: 2.0, errorRateThreshold: 0.15, latencyThreshold: 5000 },
  notificationChannels: ['email', 'slack'],
};

/** The team's config (its stored one, else the defaults). */
export function monitoringConfig(state: SandboxState, teamId: string): MonitoringConfig {
  const record = state.db.monitoringConfigs.get(teamId);
  if (!record) return structuredClone(DEFAULT_MONITORING_CONFIG);
  const { id: _id, updatedAt: _updatedAt, ...config } = record;
  return config;
}

// One crawl of D-MON shows the thresholds as numbers, another as "<number>": accept both.
const threshold = (name: string, check: (n: number) => boolean, rule: string) =>
  z
    .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)], { error: `alertThresholds.${name} must be a number ${rule}.` })
    .refine(check, `alertThresholds.${name} must be a number ${rule}.`);

/** `PUT .../config` body: any subset of the documented fields; unknown fields are refused (400). */
export const configPatch = z
  .object({
    anomalyDetectionEnabled: z.boolean({ error: 'anomalyDetectionEnabled must be true or false.' }).optional(),
    driftAlertEnabled: z.boolean({ error: 'driftAlertEnabled must be true or false.' }).optional(),
    sentimentTrackingEnabled: z.boolean({ error: 'sentimentTrackingEnabled must be true or false.' }).optional(),
    alertThresholds: z
      .object({
        tokenUsageSpike: threshold('tokenUsageSpike', (n) => n > 1, 'above 1 (a ratio to the usual usage, e.g. 2.0)').optional(),
        errorRateThreshold: threshold('errorRateThreshold', (n) => n > 0 && n <= 1, 'in (0, 1], e.g. 0.15').optional(),
        latencyThreshold: threshold('latencyThreshold', (n) => n >= 0, 'of milliseconds, e.g. 5000').optional(),
      })
      .strict()
      .optional(),
    notificationChannels: z.array(z.string().min(1), { error: 'notificationChannels must be an array of channel names, e.g. ["email", "slack"].' }).optional(),
  })
  .strict();

/** Applies a partial update and returns the whole config. */
export async function updateMonitoringConfig(state: SandboxState, teamId: string, patch: z.output<typeof configPatch>): Promise<MonitoringConfig> {
  const current = monitoringConfig(state, teamId);
  const next: MonitoringConfigRecord = {
    id: teamId,
    anomalyDetectionEnabled: patch.anomalyDetectionEnabled ?? current.anomalyDetectionEnabled,
    driftAlertEnabled: patch.driftAlertEnabled ?? current.driftAlertEnabled,
    sentimentTrackingEnabled: patch.sentimentTrackingEnabled ?? current.sentimentTrackingEnabled,
    alertThresholds: {
      tokenUsageSpike: patch.alertThresholds?.tokenUsageSpike ?? current.alertThresholds.tokenUsageSpike,
      errorRateThreshold: patch.alertThresholds?.errorRateThreshold ?? current.alertThresholds.errorRateThreshold,
      latencyThreshold: patch.alertThresholds?.latencyThreshold ?? current.alertThresholds.latencyThreshold,
    },
    notificationChannels: patch.notificationChannels ?? current.notificationChannels,
    updatedAt: state.clock.iso(),
  };
  if (state.db.monitoringConfigs.get(teamId)) await state.db.monitoringConfigs.update(teamId, next);
  else await state.db.monitoringConfigs.insert(next);
  return monitoringConfig(state, teamId);
}
