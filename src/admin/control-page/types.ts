import type { JournalEntry } from '../../core/journal.ts';

/** Shapes of the control plane's JSON answers, as the page reads them (see src/admin/admin-routes.ts). */

/** `GET /__sandbox/clock`: `now` ISO-8601 UTC, `epochMs` epoch milliseconds (also the HTTP control client's type). */
export interface ClockState {
  now: string;
  epochMs: number;
  frozen: boolean;
}

/** `GET /__sandbox/scenario`: server-wide `names` (since an ISO-8601 time) and per-caller `bindings` (also the HTTP control client's type). */
export interface ScenarioState {
  names: string[];
  since: string | null;
  bindings: Record<string, string[]>;
}

/** One entry of `GET /__sandbox/scenarios`. */
export interface ScenarioInfo {
  name: string;
  description?: string;
}

/** `GET /__sandbox/identities`. */
export interface Identities {
  password: string;
  teams: Array<{ id: string; name: string; plan: string; rateLimitPerMinute: number }>;
  users: Array<{ id: string; email: string; firstName: string; lastName: string; role: string; teamId: string; password: string }>;
  tokens: Array<{ id: string; name: string; token: string; role: string; teamId: string }>;
  widgets: Array<{ id: string; name: string; token: string; teamId: string }>;
}

/** One entry of `GET /__sandbox/requests`: the journal's own entry type (type only: nothing is bundled). */
export type JournalRow = JournalEntry;

/** What a panel does to change the sandbox: runs the action, reports its outcome, refreshes the page. */
export type Run = (label: string, action: () => Promise<unknown>) => Promise<void>;
