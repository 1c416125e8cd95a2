/**
 * Per-model token prices (nodeloom-api.md 3.7, DOC D-TOK "Cost per 1K tokens"), in integer units
 * of 1e-10 USD per token, so sums of costs are exact integers and every view of the same usage
 * (totals, daily, by model, SDK costs) adds up to the same amount. A price of P USD per 1K tokens
 * is P × 1e7 units per token (0.000075 → 750).
 */

/** Units per USD. */
export const COST_UNITS_PER_USD = 1e10;

interface Price {
  /** Units (1e-10 USD) per input (prompt) token. */
  input: number;
  /** Units per output (completion) token. */
  output: number;
}

const per1k = (inputUsd: number, outputUsd: number): Price => ({ input: Math.round(inputUsd * 1e7), output: Math.round(outputUsd * 1e7) });

/**
 * Documented prices (D-TOK), plus two [INF] entries for models the seeded workflows use that the
 * page does not list: gpt-4o-mini at OpenAI's list price, claude-sonnet-4 at claude-3.5-sonnet's.
 */
export const MODEL_PRICES: Readonly<Record<string, Price>> = {
  'gpt-4': per1k(0.03, 0.06),
  'gpt-4o': per1k(0.005, 0.015),
  'gpt-3.5-turbo': per1k(0.0005, 0.0015),
  'claude-3-opus': per1k(0.015, 0.075),
  'claude-3.5-sonnet': per1k(0.003, 0.015),
  'claude-3.5-haiku': per1k(0.001, 0.005),
  'gemini-1.5-pro': per1k(0.00125, 0.005),
  'gemini-1.5-flash': per1k(0.000075, 0.0003),
  'gpt-4o-mini': per1k(0.00015, 0.0006), // [INF]
  'claude-sonnet-4': per1k(0.003, 0.015), // [INF]
};

const KNOWN = Object.keys(MODEL_PRICES).sort((a, b) => b.length - a.length);

/**
 * The price entry a model name bills under: lower-cased, version dashes read as dots
 * (`claude-3-5-haiku` → `claude-3.5-haiku`), then the longest listed name it starts with, so dated
 * and suffixed names bill as their family (`gpt-4o-2024-08-06` → `gpt-4o`, `gpt-4o-mini` stays).
 * @returns the listed name, or null for a model without a documented price (billed at 0)
 */
export function pricedModel(model: string): string | null {
  let priced = PRICED.get(model);
  if (priced === undefined) {
    priced = lookUp(model);
    if (PRICED.size < 10_000) PRICED.set(model, priced);
  }
  return priced;
}

/** Model names already looked up (a view prices every usage item; the names are few). */
const PRICED = new Map<string, string | null>();

function lookUp(model: string): string | null {
  const normalized = model.toLowerCase().replace(/(\d)-(\d)(?!\d)/g, '$1.$2');
  return KNOWN.find((name) => normalized === name || normalized.startsWith(`${name}-`) || normalized.startsWith(`${name}.`) || normalized.startsWith(`${name}@`)) ?? null;
}

/** Cost of a usage in units (1e-10 USD); 0 for an unpriced model. */
export function costUnits(model: string, inputTokens: number, outputTokens: number): number {
  const name = pricedModel(model);
  if (name === null) return 0;
  const price = MODEL_PRICES[name]!;
  return inputTokens * price.input + outputTokens * price.output;
}

/** Units as USD (a number; the exact unit sums are what the views agree on). */
export function unitsToUsd(units: number): number {
  return units / COST_UNITS_PER_USD;
}
