import { Table } from './data/table.ts';
import { RecordSink } from './data/record-sink.ts';
import { membershipRecord, sdkTokenRecord, teamRecord, userRecord } from './data/schemas.ts';
import { workflowRecord } from './resources/workflows/records.ts';
import { executionRecord } from './resources/executions/records.ts';
import { credentialRecord } from './resources/credentials/records.ts';
import { auditLogRecord } from './resources/audit/records.ts';
import { auditReportRecord, auditSettingsRecord } from './resources/audit/records.ts';
import { chatMessageRecord, chatSessionRecord } from './resources/chat/records.ts';
import { widgetRecord } from './resources/widgets/records.ts';
import { guardrailCheckRecord, guardrailRuleRecord, guardrailSessionRecord } from './resources/guardrails/records.ts';
import { ebpfProbeRecord, redteamScanRecord, sdkAgentRecord, sdkEventRecord, sdkFeedbackRecord, sdkMetricRecord, sdkPromptRecord, sdkTeamControlRecord, sdkTraceRecord, sdkWebhookRecord, sentimentAnalysisRecord } from './resources/sdk/records.ts';
import { alertAcknowledgementRecord, monitoringConfigRecord, scheduledReportRecord } from './resources/monitoring/records.ts';

/** Every collection of a sandbox state and its record schema. */
export const TABLE_SCHEMAS = {
  teams: teamRecord,
  users: userRecord,
  memberships: membershipRecord,
  sdkTokens: sdkTokenRecord,
  workflows: workflowRecord,
  executions: executionRecord,
  credentials: credentialRecord,
  auditLogs: auditLogRecord,
  auditSettings: auditSettingsRecord,
  auditReports: auditReportRecord,
  chatSessions: chatSessionRecord,
  chatMessages: chatMessageRecord,
  widgets: widgetRecord,
  guardrailRules: guardrailRuleRecord,
  guardrailSessions: guardrailSessionRecord,
  guardrailChecks: guardrailCheckRecord,
  sdkAgents: sdkAgentRecord,
  sdkTeamControls: sdkTeamControlRecord,
  sdkTraces: sdkTraceRecord,
  sdkEvents: sdkEventRecord,
  sdkMetrics: sdkMetricRecord,
  sdkFeedback: sdkFeedbackRecord,
  sdkPrompts: sdkPromptRecord,
  sdkWebhooks: sdkWebhookRecord,
  redteamScans: redteamScanRecord,
  sentimentAnalyses: sentimentAnalysisRecord,
  ebpfProbes: ebpfProbeRecord,
  monitoringConfigs: monitoringConfigRecord,
  alertAcknowledgements: alertAcknowledgementRecord,
  scheduledReports: scheduledReportRecord,
};
type Schemas = typeof TABLE_SCHEMAS;

/** The collections of one sandbox state: {@link Table}s. */
export type Database = { [K in keyof Schemas]: Table<Schemas[K]> };

/** What seeding needs of a collection: inserts and reads (a {@link Table} or a {@link RecordSink}). */
export type SeedTables = { [K in keyof Schemas]: Pick<Table<Schemas[K]>, 'insert' | 'get' | 'all' | 'filter' | 'count' | 'clear'> };

/** Creates the empty in-memory collections of one sandbox state. */
export function createDatabase(): Database {
  const db = {} as Record<string, unknown>;
  for (const [name, schema] of Object.entries(TABLE_SCHEMAS)) db[name] = new Table(name, schema);
  return db as Database;
}

/** Creates plain record sinks with the same names, for generating a seeded data set quickly. */
export function createSeedSinks(): { [K in keyof Schemas]: RecordSink<Schemas[K]> } {
  const sinks = {} as Record<string, unknown>;
  // The execution schema has no defaults or transforms (test/execution-index.test.ts checks it).
  for (const [name, schema] of Object.entries(TABLE_SCHEMAS)) sinks[name] = new RecordSink(name, schema, { keepInput: name === 'executions' });
  return sinks as { [K in keyof Schemas]: RecordSink<Schemas[K]> };
}
