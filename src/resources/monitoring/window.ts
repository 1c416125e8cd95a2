import { z } from 'zod';
import { HttpError } from '../../core/http-error.ts';
import { parseIsoInstant } from '../executions/iso-instant.ts';
import { clip } from '../../core/clip.ts';

/**
 * `from`/`to` query parameters of the monitoring and SDK reporting routes (nodeloom-api.md 3.7:
 * ISO-8601, default `from` now − 30 days and `to` now). Any ISO-8601 precision is accepted, and a
 * date alone (`2026-02-17`) means 00:00 UTC; an empty value counts as absent.
 */

/** 30 days in ms: the default window (3.7 #3). */
export const DEFAULT_WINDOW_MS = 30 * 86_400_000;

/** An optional ISO-8601 instant query parameter, as epoch ms. */
export function instantQuery(name: string) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return undefined;
      const instant = parseIsoInstant(value);
      if (instant === undefined) {
        ctx.addIssue({ code: 'custom', message: `Query parameter '${name}' must be an ISO-8601 date-time such as 2026-02-17T10:30:00.000Z (or a date such as 2026-02-17); got '${clip(value)}'.` });
        return z.NEVER;
      }
      return instant.ms;
    });
}

/** Fields for `from` and `to`; spread into a route's query schema. */
export function windowQueryFields() {
  return { from: instantQuery('from'), to: instantQuery('to') };
}

/** An inclusive window in epoch ms. */
export interface Window {
  from: number;
  to: number;
}

/**
 * The window a request asks for, with the documented defaults filled in.
 * @param now sandbox time, epoch ms
 * @param defaultMs how far back `from` defaults to from `to` (null: no lower bound)
 * @throws HttpError 400 when `from` is after `to`
 */
export function resolveWindow(query: { from?: number | undefined; to?: number | undefined }, now: number, defaultMs: number | null = DEFAULT_WINDOW_MS): Window {
  const to = query.to ?? (defaultMs === null ? Number.MAX_SAFE_INTEGER : now);
  const from = query.from ?? (defaultMs === null ? Number.MIN_SAFE_INTEGER : to - defaultMs);
  if (from > to) throw new HttpError(400, `Query parameter 'from' (${iso(from)}) must not be after 'to' (${iso(to)}).`);
  return { from, to };
}

/** The window as the answers show it (ISO-8601). */
export function windowView(window: Window): { from: string | null; to: string | null } {
  return { from: bounded(window.from), to: bounded(window.to) };
}

const iso = (ms: number) => (Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms));
const bounded = (ms: number) => (Math.abs(ms) >= Number.MAX_SAFE_INTEGER ? null : new Date(ms).toISOString());
