import { HttpError } from '../../core/http-error.ts';
import type { SandboxState } from '../../state.ts';
import { maskSecret } from '../credentials/mask.ts';
import type { AuditSettingsRecord, SiemProvider } from './records.ts';
import type { SiemBody } from './schema.ts';

/**
 * A team's audit settings ([INF] nodeloom-api.md 3.10 #6, #7): retention and the SIEM export
 * destination, stored in `auditSettings` (one record per team, id = team id; no record means the
 * defaults). Retention is a stored setting only: the sandbox never deletes entries, because its
 * history is 30 days and the shortest retention is 30 days, and deleting the oldest entries would
 * leave a chain that no longer starts at the genesis hash.
 */

/** Retention of a team that never set it, in days ([INF]: one year, the usual SOC 2 minimum). */
export const DEFAULT_RETENTION_DAYS = 365;

/** The settings of a team, stored or default. */
function settingsOf(state: SandboxState, teamId: string): AuditSettingsRecord {
  return (
    state.db.auditSettings.get(teamId) ?? {
      id: teamId,
      teamId,
      retentionDays: DEFAULT_RETENTION_DAYS,
      retentionUpdatedAt: null,
      siemEnabled: false,
      siemProvider: null,
      siemUrl: null,
      siemToken: null,
      siemUpdatedAt: null,
    }
  );
}

/** Inserts or updates a team's settings record. */
async function saveSettings(state: SandboxState, teamId: string, patch: Partial<AuditSettingsRecord>): Promise<AuditSettingsRecord> {
  const current = state.db.auditSettings.get(teamId);
  if (current) return (await state.db.auditSettings.update(teamId, patch))!;
  return state.db.auditSettings.insert({ ...settingsOf(state, teamId), ...patch });
}

/** The wire retention setting: `{teamId, retentionDays, updatedAt}` (`updatedAt` null while the default). */
export interface Retention {
  teamId: string;
  retentionDays: number;
  updatedAt: string | null;
}

/** A team's retention setting. */
export function getRetention(state: SandboxState, teamId: string): Retention {
  const settings = settingsOf(state, teamId);
  return { teamId, retentionDays: settings.retentionDays, updatedAt: settings.retentionUpdatedAt };
}

/** Sets a team's retention (days already validated by the route's schema) at sandbox time. */
export async function setRetention(state: SandboxState, teamId: string, retentionDays: number): Promise<Retention> {
  await saveSettings(state, teamId, { retentionDays, retentionUpdatedAt: state.clock.iso() });
  return getRetention(state, teamId);
}

/**
 * The wire SIEM settings: `{teamId, enabled, provider, url, tokenSet, tokenPreview, updatedAt}`.
 * The token itself is write-only, like credential secrets (3.4): only whether one is set and a
 * masked preview (`...abcd` for tokens of 16+ characters, `****` for shorter ones) are shown.
 */
export interface SiemSettings {
  teamId: string;
  enabled: boolean;
  provider: SiemProvider | null;
  url: string | null;
  tokenSet: boolean;
  tokenPreview: string | null;
  updatedAt: string | null;
}

/** A team's SIEM settings (all null/false while never configured). */
export function getSiem(state: SandboxState, teamId: string): SiemSettings {
  const s = settingsOf(state, teamId);
  return {
    teamId,
    enabled: s.siemEnabled,
    provider: s.siemProvider,
    url: s.siemUrl,
    tokenSet: s.siemToken !== null,
    tokenPreview: s.siemToken === null ? null : maskSecret(s.siemToken),
    updatedAt: s.siemUpdatedAt,
  };
}

/** Saves a team's SIEM settings: a token left out keeps the stored one, `null` removes it. */
export async function saveSiem(state: SandboxState, teamId: string, body: SiemBody): Promise<SiemSettings> {
  const token = body.token === undefined ? settingsOf(state, teamId).siemToken : body.token;
  await saveSettings(state, teamId, { siemEnabled: body.enabled, siemProvider: body.provider, siemUrl: body.url, siemToken: token, siemUpdatedAt: state.clock.iso() });
  return getSiem(state, teamId);
}

/** The result of a SIEM test delivery: `{success, statusCode, message, testedAt}` ([INF] shape, like the credential test's). */
export interface SiemTestResult {
  success: boolean;
  /** The HTTP status the destination answered (simulated). */
  statusCode: number;
  message: string;
  /** Sandbox time, ISO-8601. */
  testedAt: string;
}

const PROVIDER_NAMES: Record<SiemProvider, string> = {
  SPLUNK: 'Splunk HEC',
  DATADOG: 'Datadog Logs API',
  ELASTICSEARCH: 'Elasticsearch Bulk API',
  WEBHOOK: 'the webhook',
};

/**
 * Simulates sending one test event to the saved destination; nothing leaves the process. The
 * outcome depends only on the settings, in this order:
 * 1. a URL whose host contains `invalid` (like the reserved `.invalid` TLD): fails, 502, unreachable;
 * 2. SPLUNK or DATADOG without a token: fails, 401 (Splunk) / 403 (Datadog);
 * 3. a token containing `invalid`: fails, 403 (Datadog) / 401 (others), token rejected;
 * 4. otherwise succeeds: 202 for Datadog (its Logs API answers 202 Accepted), 200 for the others.
 * Works whether or not export is enabled (clients test before switching it on). A scenario rule on
 * `POST /api/audit/team/*\/siem/test` can make the call itself fail instead.
 * @throws HttpError 409 when no destination has been saved yet
 */
export function testSiem(state: SandboxState, teamId: string): SiemTestResult {
  const s = settingsOf(state, teamId);
  if (s.siemProvider === null || s.siemUrl === null) {
    throw new HttpError(409, `No SIEM destination is configured for team ${teamId}: save one first with PUT /api/audit/team/${teamId}/siem {"enabled": true, "provider": "SPLUNK", "url": "https://...", "token": "..."}.`);
  }
  const testedAt = state.clock.iso();
  const target = PROVIDER_NAMES[s.siemProvider];
  const host = new URL(s.siemUrl).hostname;
  const fail = (statusCode: number, message: string): SiemTestResult => ({ success: false, statusCode, message, testedAt });
  if (host.includes('invalid')) {
    return fail(502, `Could not deliver the test event to ${host}: the host does not resolve (the sandbox fails every URL whose host contains "invalid").`);
  }
  const rejected = s.siemProvider === 'DATADOG' ? 403 : 401;
  if (s.siemToken === null && (s.siemProvider === 'SPLUNK' || s.siemProvider === 'DATADOG')) {
    return fail(rejected, `${target} refused the test event: no token is set. Save one with PUT /api/audit/team/${teamId}/siem.`);
  }
  if (s.siemToken?.includes('invalid')) {
    return fail(rejected, `${target} rejected the token (the sandbox rejects every token containing "invalid").`);
  }
  return { success: true, statusCode: s.siemProvider === 'DATADOG' ? 202 : 200, message: `Test event delivered to ${target} at ${host}.`, testedAt };
}
