import type { Derived } from '../../data/derived.ts';
import { storedIsoToMs } from './iso-instant.ts';
import type { ExecutionRecord, ExecutionStatus } from './records.ts';
import type { ExecutionFilter } from './schema.ts';
import { statusAt } from './view.ts';

/**
 * The team/time index of the executions table (issue 13): per team, the executions sorted by
 * `createdAt` (then id), also split by final status and by workflow, so a list page is a slice and
 * a filter a binary search plus a scan of the matching range, instead of a pass over every
 * execution of every team (40-75 ms per page on the `large` data set's 100,000 executions).
 *
 * Statuses and the `from`/`to` window time are derived from the clock (view.ts), so the index keys
 * each execution by what it shows once *settled*: from `settleAt` on (the end of its run, see
 * {@link settleAt}) its status and window time no longer change. Executions that may still be
 * unsettled (settling after the index's `horizon`) are kept in a short `pending` list and checked
 * at the request's time; a request before the horizon (the clock moved back) scans exactly.
 * Shared copy-on-write with the table (src/data/derived.ts): built once per seeded data set.
 */

/** Executions sorted by (createdAt, id) ascending, with their creation and settled window times, ms. */
interface Bucket {
  recs: ExecutionRecord[];
  created: number[];
  wt: number[];
}

interface TeamIndex {
  all: Bucket;
  byStatus: Map<ExecutionStatus, Bucket>;
  byWorkflow: Map<string, Bucket>;
  /** Executions that settle after the horizon. */
  pending: ExecutionRecord[];
}

/** The index value (see {@link executionIndex}). */
export interface ExecutionIndex {
  teams: Map<string, TeamIndex>;
  /** Every execution not in a `pending` list is settled at this time, epoch ms. */
  horizon: number;
  /** Bounds of (window time - createdAt) over the executions, ms, so a window maps to a createdAt range. */
  minGap: number;
  maxGap: number;
  owned: boolean;
}

/** A sorted list of matching executions, newest first, read by position. */
export interface ExecutionList {
  readonly total: number;
  /** Executions at positions [start, end), newest first. */
  slice(start: number, end: number): ExecutionRecord[];
}

const ms = storedIsoToMs;

/**
 * When an execution's status and window time stop changing, epoch ms: the end of its run; its start
 * for a cancelled or SDK-reported one (the status is fixed, the window time switches to `startedAt`
 * at the start); never for one cancelled before it started (`-Infinity`).
 */
export function settleAt(record: ExecutionRecord): number {
  const started = ms(record.startedAt);
  if (record.cancelledAt !== null) return ms(record.cancelledAt) < started ? -Infinity : started;
  if (record.sdk) return started;
  return started + record.durationMs;
}

/**
 * The instant `from`/`to` bound: when the execution started, or when it was accepted if it has not
 * started (yet, or ever: cancelled while PENDING). [INF] 3.3 names the filters but not the field.
 */
export function windowTime(record: ExecutionRecord, now: number): number {
  const started = ms(record.startedAt);
  const until = record.cancelledAt === null ? now : Math.min(now, ms(record.cancelledAt));
  return started <= until ? started : ms(record.createdAt);
}

/** Whether an execution matches `filter` at `now` (the exact test, from its fields). */
export function matchesAt(record: ExecutionRecord, filter: ExecutionFilter, now: number): boolean {
  const { status, workflowId, from, to } = filter;
  if (workflowId !== undefined && record.workflowId !== workflowId) return false;
  if (status !== undefined && statusAt(record, now) !== status) return false;
  if (from !== undefined || to !== undefined) {
    const time = windowTime(record, now);
    if ((from !== undefined && time < from) || (to !== undefined && time > to)) return false;
  }
  return true;
}

const newBucket = (): Bucket => ({ recs: [], created: [], wt: [] });
const copyBucket = (b: Bucket): Bucket => ({ recs: b.recs.slice(), created: b.created.slice(), wt: b.wt.slice() });
const copyMap = <K>(map: Map<K, Bucket>) => new Map([...map].map(([key, bucket]) => [key, copyBucket(bucket)]));

/** First position in `b` whose (created, id) is not below the given one. */
function lowerBound(b: Bucket, created: number, id: string): number {
  let lo = 0;
  let hi = b.recs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = b.created[mid]!;
    if (c < created || (c === created && b.recs[mid]!.id < id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position in `b` whose createdAt is above `created` (`after`) or not below it. */
function createdBound(b: Bucket, created: number, after: boolean): number {
  let lo = 0;
  let hi = b.recs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after ? b.created[mid]! <= created : b.created[mid]! < created) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function bucketInsert(b: Bucket, record: ExecutionRecord, created: number, wt: number): void {
  const last = b.recs.length - 1;
  if (last < 0 || b.created[last]! < created || (b.created[last] === created && b.recs[last]!.id < record.id)) {
    b.recs.push(record);
    b.created.push(created);
    b.wt.push(wt);
    return;
  }
  const at = lowerBound(b, created, record.id);
  b.recs.splice(at, 0, record);
  b.created.splice(at, 0, created);
  b.wt.splice(at, 0, wt);
}

function bucketRemove(b: Bucket | undefined, record: ExecutionRecord, created: number): void {
  if (!b) return;
  for (let at = lowerBound(b, created, record.id); at < b.recs.length && b.recs[at]!.id === record.id; at++) {
    if (b.recs[at] !== record) continue;
    b.recs.splice(at, 1);
    b.created.splice(at, 1);
    b.wt.splice(at, 1);
    return;
  }
}

function teamOf(index: ExecutionIndex, teamId: string): TeamIndex {
  let team = index.teams.get(teamId);
  if (!team) index.teams.set(teamId, (team = { all: newBucket(), byStatus: new Map(), byWorkflow: new Map(), pending: [] }));
  return team;
}

function add(index: ExecutionIndex, record: ExecutionRecord): void {
  const team = teamOf(index, record.teamId);
  const created = ms(record.createdAt);
  const started = ms(record.startedAt);
  const wt = windowTime(record, Infinity);
  bucketInsert(team.all, record, created, wt);
  const status = statusAt(record, Infinity);
  let byStatus = team.byStatus.get(status);
  if (!byStatus) team.byStatus.set(status, (byStatus = newBucket()));
  bucketInsert(byStatus, record, created, wt);
  let byWorkflow = team.byWorkflow.get(record.workflowId);
  if (!byWorkflow) team.byWorkflow.set(record.workflowId, (byWorkflow = newBucket()));
  bucketInsert(byWorkflow, record, created, wt);
  if (settleAt(record) > index.horizon) team.pending.push(record);
  index.minGap = Math.min(index.minGap, started - created);
  index.maxGap = Math.max(index.maxGap, started - created);
}

function remove(index: ExecutionIndex, record: ExecutionRecord): void {
  const team = index.teams.get(record.teamId);
  if (!team) return;
  const created = ms(record.createdAt);
  bucketRemove(team.all, record, created);
  bucketRemove(team.byStatus.get(statusAt(record, Infinity)), record, created);
  bucketRemove(team.byWorkflow.get(record.workflowId), record, created);
  const at = team.pending.indexOf(record);
  if (at >= 0) team.pending.splice(at, 1);
}

/**
 * The index as a {@link Derived} value of the executions table: `state.db.executions.derived(executionIndex)`.
 * Building it for 100,000 executions takes ~0.2 s once per data set and process; a namespace's first
 * write copies it (a few ms), later writes move one execution each.
 */
export const executionIndex: Derived<ExecutionRecord, ExecutionIndex> = {
  name: 'executions by team and time',
  build(records, owned) {
    // Everything created up to the newest record and settled by then is settled from then on.
    let horizon = -Infinity;
    for (const record of records) horizon = Math.max(horizon, ms(record.createdAt));
    const index: ExecutionIndex = { teams: new Map(), horizon, minGap: 0, maxGap: 0, owned };
    const sorted = records
      .map((record) => ({ record, created: ms(record.createdAt) }))
      .sort((a, b) => a.created - b.created || (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0));
    for (const { record } of sorted) add(index, record);
    return index;
  },
  copy(value) {
    const teams = new Map<string, TeamIndex>();
    for (const [id, team] of value.teams) {
      teams.set(id, { all: copyBucket(team.all), byStatus: copyMap(team.byStatus), byWorkflow: copyMap(team.byWorkflow), pending: team.pending.slice() });
    }
    return { ...value, teams, owned: true };
  },
  apply(value, before, after) {
    if (before) remove(value, before);
    if (after) add(value, after);
  },
};

/** Most pending executions kept before settled ones are dropped from the list (owned indexes only). */
const PENDING_PRUNE_AT = 64;

/**
 * A team's executions matching `filter` at `now`, newest first (`createdAt` desc, then `id` desc).
 * Cost: a slice for the plain list, one final status or one workflow; for a `from`/`to` window two
 * binary searches and a scan of the range's edges (as wide as the longest queue time); the team's
 * unsettled executions checked one by one; a scan of the range for a status within a workflow or
 * PENDING/RUNNING; a full exact scan of the team when the clock is before the index's horizon.
 * Read the answer before the next write to the table: a write moves positions.
 */
export function queryExecutions(index: ExecutionIndex, teamId: string, filter: ExecutionFilter, now: number): ExecutionList {
  const team = index.teams.get(teamId);
  if (!team) return listOf([]);
  if (now < index.horizon) return listOf(exactScan(team.all, 0, team.all.recs.length, filter, now));
  if (index.owned && team.pending.length > PENDING_PRUNE_AT) {
    // Settled for good once the clock has passed them (an earlier clock scans exactly, above).
    team.pending = team.pending.filter((record) => settleAt(record) > now);
    index.horizon = now;
  }
  const unsettled = team.pending.filter((record) => settleAt(record) > now);
  const { status, workflowId, from, to } = filter;
  const bucket = workflowId !== undefined ? team.byWorkflow.get(workflowId) : status !== undefined ? team.byStatus.get(status) : team.all;
  if (!bucket) return status !== undefined && workflowId === undefined ? listOf(extras(unsettled, filter, now, undefined)) : listOf([]);
  const statusByBucket = status !== undefined && workflowId === undefined;
  const windowed = from !== undefined || to !== undefined;
  // The plain list, one workflow or one status with nothing unsettled: the bucket as it is.
  if (!windowed && (status === undefined || (statusByBucket && unsettled.length === 0))) return piecesList([{ bucket, lo: 0, hi: bucket.recs.length }]);
  // The createdAt range a window can match: a window time lies in [createdAt + minGap, createdAt + maxGap].
  const lo = from === undefined ? 0 : createdBound(bucket, from - index.maxGap, false);
  const hi = to === undefined ? bucket.recs.length : createdBound(bucket, to - index.minGap, true);
  const check = new Set(unsettled);
  // A status within one workflow, or one an unsettled run may be in now (PENDING, RUNNING): scan the range.
  if ((status !== undefined && !statusByBucket) || status === 'PENDING' || status === 'RUNNING') {
    const matches = scanRange(bucket, lo, hi, filter, now, check, statusByBucket);
    return listOf(statusByBucket ? mergeNewestFirst(matches, extras(unsettled, filter, now, status)) : matches);
  }
  // Otherwise (no status, or a final one: an unsettled run is never SUCCESS, FAILED or CANCELLED
  // unless that is its final status) every settled execution inside the sure part of the range
  // matches; its edges are scanned, and unsettled executions inside it checked one by one.
  const mlo = from === undefined ? lo : Math.min(Math.max(createdBound(bucket, from - index.minGap, false), lo), hi);
  const mhi = to === undefined ? hi : Math.min(Math.max(createdBound(bucket, to - index.maxGap, true), mlo), hi);
  const pieces: Piece[] = [];
  if (mhi < hi) pieces.push(scanRange(bucket, mhi, hi, filter, now, check, statusByBucket));
  const excluded: number[] = [];
  for (const record of unsettled) {
    const at = lowerBound(bucket, ms(record.createdAt), record.id);
    if (bucket.recs[at] === record && at >= mlo && at < mhi && !matchesAt(record, filter, now)) excluded.push(at);
  }
  let top = mhi;
  for (const at of excluded.sort((a, b) => b - a)) {
    pieces.push({ bucket, lo: at + 1, hi: top });
    top = at;
  }
  pieces.push({ bucket, lo: mlo, hi: top });
  if (lo < mlo) pieces.push(scanRange(bucket, lo, mlo, filter, now, check, statusByBucket));
  return piecesList(pieces);
}

/** Positions [lo, hi) of a bucket, newest first, each checked (unsettled ones exactly at `now`). */
function scanRange(bucket: Bucket, lo: number, hi: number, filter: ExecutionFilter, now: number, unsettled: Set<ExecutionRecord>, statusByBucket: boolean): ExecutionRecord[] {
  const { status, from, to } = filter;
  const matches: ExecutionRecord[] = [];
  for (let i = hi - 1; i >= lo; i--) {
    const record = bucket.recs[i]!;
    if (unsettled.size > 0 && unsettled.has(record)) {
      if (matchesAt(record, filter, now)) matches.push(record);
      continue;
    }
    if (status !== undefined && !statusByBucket && statusAt(record, Infinity) !== status) continue;
    const wt = bucket.wt[i]!;
    if ((from !== undefined && wt < from) || (to !== undefined && wt > to)) continue;
    matches.push(record);
  }
  return matches;
}

/** Part of an answer: matches in an array (newest first), or a bucket's positions [lo, hi) read from the top. */
type Piece = ExecutionRecord[] | { bucket: Bucket; lo: number; hi: number };

/** An answer made of pieces in order, read by position without copying the ranges. */
function piecesList(pieces: Piece[]): ExecutionList {
  const sizes = pieces.map((piece) => (Array.isArray(piece) ? piece.length : Math.max(0, piece.hi - piece.lo)));
  return {
    total: sizes.reduce((sum, size) => sum + size, 0),
    slice(start, end) {
      const out: ExecutionRecord[] = [];
      let offset = 0;
      for (const [n, piece] of pieces.entries()) {
        const size = sizes[n]!;
        const from = Math.max(start - offset, 0);
        const to = Math.min(end - offset, size);
        for (let k = from; k < to; k++) out.push(Array.isArray(piece) ? piece[k]! : piece.bucket.recs[piece.hi - 1 - k]!);
        offset += size;
        if (offset >= end) break;
      }
      return out;
    },
  };
}

/** Unsettled executions outside the status bucket `status` that match at `now`, newest first. */
function extras(unsettled: ExecutionRecord[], filter: ExecutionFilter, now: number, status: ExecutionStatus | undefined): ExecutionRecord[] {
  return unsettled
    .filter((record) => (status === undefined || statusAt(record, Infinity) !== status) && matchesAt(record, filter, now))
    .sort(newestFirst);
}

function newestFirst(a: ExecutionRecord, b: ExecutionRecord): number {
  return ms(b.createdAt) - ms(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

function mergeNewestFirst(a: ExecutionRecord[], b: ExecutionRecord[]): ExecutionRecord[] {
  if (b.length === 0) return a;
  const out: ExecutionRecord[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(newestFirst(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

function exactScan(bucket: Bucket, lo: number, hi: number, filter: ExecutionFilter, now: number): ExecutionRecord[] {
  const matches: ExecutionRecord[] = [];
  for (let i = hi - 1; i >= lo; i--) if (matchesAt(bucket.recs[i]!, filter, now)) matches.push(bucket.recs[i]!);
  return matches;
}

function listOf(records: ExecutionRecord[]): ExecutionList {
  return { total: records.length, slice: (start, end) => records.slice(start, end) };
}
