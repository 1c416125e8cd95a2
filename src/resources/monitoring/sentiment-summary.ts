import type { SandboxState } from '../../state.ts';
import { storedIsoToMs } from '../executions/iso-instant.ts';
import { analyzeSentiment } from '../sdk/sentiment.ts';
import { monitoringConfig } from './config.ts';
import { windowView, type Window } from './window.ts';

/**
 * The sentiment summary ([INF] nodeloom-api.md 3.7 #9): what the team's texts read like over a
 * window, from two sources: analyses made with `POST /api/sdk/v1/sentiment`, and the user messages
 * that started chat-triggered executions (`inputData.message`), scored by the same deterministic
 * analyser. Days are UTC calendar days of when the text arrived.
 */

interface Scored {
  at: number;
  sentiment: 'positive' | 'neutral' | 'negative';
  score: number;
  source: 'sdk' | 'chat';
}

function* scored(state: SandboxState, teamId: string, window: Window): Iterable<Scored> {
  for (const a of state.db.sentimentAnalyses.all()) {
    const at = storedIsoToMs(a.createdAt);
    if (a.teamId === teamId && at >= window.from && at <= window.to) yield { at, sentiment: a.sentiment, score: a.score, source: 'sdk' };
  }
  for (const e of state.db.executions.all()) {
    if (e.teamId !== teamId || e.triggerType !== 'CHAT' || typeof e.inputData.message !== 'string') continue;
    const at = storedIsoToMs(e.createdAt);
    if (at < window.from || at > window.to) continue;
    const { sentiment, score } = analyzeSentiment(e.inputData.message);
    yield { at, sentiment, score, source: 'chat' };
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** `{period, sentimentTrackingEnabled, totalAnalyzed, positive, neutral, negative, averageScore, sources, daily}`. */
export function sentimentSummary(state: SandboxState, teamId: string, window: Window) {
  const counts = { positive: 0, neutral: 0, negative: 0 };
  const sources = { sdk: 0, chat: 0 };
  const days = new Map<string, { positive: number; neutral: number; negative: number; sum: number; n: number }>();
  let sum = 0;
  let total = 0;
  for (const s of scored(state, teamId, window)) {
    counts[s.sentiment] += 1;
    sources[s.source] += 1;
    sum += s.score;
    total += 1;
    const date = new Date(s.at).toISOString().slice(0, 10);
    let day = days.get(date);
    if (!day) days.set(date, (day = { positive: 0, neutral: 0, negative: 0, sum: 0, n: 0 }));
    day[s.sentiment] += 1;
    day.sum += s.score;
    day.n += 1;
  }
  return {
    period: windowView(window),
    sentimentTrackingEnabled: monitoringConfig(state, teamId).sentimentTrackingEnabled,
    totalAnalyzed: total,
    ...counts,
    averageScore: total === 0 ? 0 : round(sum / total),
    sources,
    daily: [...days]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([date, d]) => ({ date, positive: d.positive, neutral: d.neutral, negative: d.negative, averageScore: round(d.sum / d.n) })),
  };
}
