/**
 * Deterministic sentiment analysis (nodeloom-api.md 3.11.3 `POST /api/sdk/v1/sentiment`; PY
 * docstring: "returns sentiment, score, confidence, emotions"). The real backend asks a model; the
 * sandbox scores the text against small word lists, so the same text always gets the same answer
 * and tests can pick texts that read positive, negative or neutral.
 *
 * [INF] shape: `sentiment` `positive|neutral|negative` (lower-case like the other SDK enums, 1.3),
 * `score` in [-1, 1], `confidence` in [0.5, 0.99], `emotions` `{joy, anger, sadness, fear,
 * surprise}` each in [0, 1].
 */

const LEXICON: Record<string, { polarity: number; emotion?: keyof Emotions }> = {};
type Emotions = {
  joy: number;
  anger: number;
  sadness: number;
  fear: number;
  surprise: number;
};
const words = (list: string, polarity: number, emotion?: keyof Emotions) => {
  for (const word of list.split(' ')) LEXICON[word] = emotion ? { polarity, emotion } : { polarity };
};
words('good great excellent amazing awesome love loved lovely happy glad thanks thank helpful perfect fantastic nice wonderful pleased delighted best easy fast works solved', 1, 'joy');
words('recommend like liked fine smooth clear useful reliable', 0.5);
words('bad terrible awful horrible worst useless broken hate hated annoying slow poor wrong disappointed', -1, 'anger');
words('angry furious ridiculous unacceptable', -1, 'anger');
words('sad unhappy sorry unfortunately miss lost', -0.8, 'sadness');
words('afraid scared worried risk unsafe concerned', -0.6, 'fear');
words('wow surprised unexpected suddenly', 0.2, 'surprise');
words('error fail failed failure crash crashed bug issue problem stuck stopping stops stopped', -0.7, 'sadness');
const NEGATIONS = new Set(['not', 'no', 'never', "don't", "doesn't", "didn't", "isn't", "wasn't", "can't", 'cannot', "won't"]);

/** A sentiment result. */
export interface Sentiment {
  sentiment: 'positive' | 'neutral' | 'negative';
  score: number;
  confidence: number;
  emotions: Emotions;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** Scores `text`: the mean polarity of its sentiment words (a negation just before flips one). */
export function analyzeSentiment(text: string): Sentiment {
  const tokens = text.toLowerCase().match(/[a-z']+/g) ?? [];
  const emotions: Emotions = { joy: 0, anger: 0, sadness: 0, fear: 0, surprise: 0 };
  let sum = 0;
  let hits = 0;
  tokens.forEach((token, i) => {
    const entry = LEXICON[token];
    if (!entry) return;
    const negated = NEGATIONS.has(tokens[i - 1] ?? '') || NEGATIONS.has(tokens[i - 2] ?? '');
    const polarity = negated ? -entry.polarity * 0.8 : entry.polarity;
    sum += polarity;
    hits += 1;
    if (entry.emotion && !negated) emotions[entry.emotion] += 1;
    else if (negated && polarity < 0) emotions.sadness += 0.5;
  });
  const score = hits === 0 ? 0 : Math.max(-1, Math.min(1, sum / hits));
  const sentiment = score > 0.15 ? 'positive' : score < -0.15 ? 'negative' : 'neutral';
  const totalEmotion = Object.values(emotions).reduce((a, b) => a + b, 0);
  for (const key of Object.keys(emotions) as Array<keyof Emotions>) emotions[key] = totalEmotion === 0 ? 0 : round(emotions[key] / totalEmotion);
  const confidence = hits === 0 ? 0.5 : Math.min(0.99, 0.55 + 0.1 * hits + 0.2 * Math.abs(score));
  return { sentiment, score: round(score), confidence: round(confidence), emotions };
}
