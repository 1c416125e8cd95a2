import { z } from 'zod';
import { CONTENT_CATEGORIES, type ContentCategory } from './content-lists.ts';
import { PII_TYPES, type PiiType } from './pii-classify.ts';
import { CHECK_TYPES, SEVERITIES, VIOLATION_ACTIONS } from './violation.ts';

/**
 * Request schemas of `POST /api/guardrails/check` (nodeloom-api.md 3.8; camelCase both ways, 1.3).
 * Unknown fields are ignored (the Python client merges extra keyword arguments verbatim). `null`
 * means "not sent" for every option.
 */

/** Longest `text`, characters (UTF-16 code units, as Java's and JavaScript's `length`): 3.8 "max 100,000 chars". */
export const MAX_TEXT_LENGTH = 100_000;
const MAX_AGENT_NAME = 255;

/** `?teamId=`: an SDK token may omit it (its own team is used); a cookie session gets 400 without it (1.8, COMMIT). */
export const checkQuery = z.object({ teamId: z.string().optional() });

const flag = (name: string) => z.boolean({ error: `${name} must be true or false` }).nullish();

/** A comma-separated list (or a JSON array) of names from `allowed`, as a set; null when not sent. */
function nameList<T extends string>(name: string, allowed: readonly T[]) {
  const hint = `use a comma-separated list of ${allowed.join(', ')}`;
  return z
    .union([z.string(), z.array(z.string())], { error: `${name} must be a comma-separated string, ${hint}` })
    .nullish()
    .transform((value, ctx): ReadonlySet<T> | null => {
      if (value === null || value === undefined) return null;
      const names = (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
      const unknown = names.find((n) => !(allowed as readonly string[]).includes(n));
      if (unknown !== undefined) {
        ctx.addIssue({ code: 'custom', message: `${name}: "${unknown}" is not a known name; ${hint}` });
        return z.NEVER;
      }
      return names.length === 0 ? null : new Set(names as T[]);
    });
}

/** The body: `text` and every documented option of 3.8. */
export const checkBody = z.object(
  {
    text: z
      .string({ error: (issue) => (issue.input == null ? 'text is required: send {"text": "…"}' : 'text must be a string') })
      .max(MAX_TEXT_LENGTH, `text must be at most ${MAX_TEXT_LENGTH.toLocaleString('en-US')} characters (the guardrails limit); split longer content into several checks`),
    detectPromptInjection: flag('detectPromptInjection'),
    injectionSensitivity: z
      .number({ error: 'injectionSensitivity must be a number from 0.0 to 1.0' })
      .min(0, 'injectionSensitivity must be a number from 0.0 to 1.0')
      .max(1, 'injectionSensitivity must be a number from 0.0 to 1.0')
      .nullish(),
    redactPii: flag('redactPii'),
    piiTypes: nameList<PiiType>('piiTypes', PII_TYPES),
    filterContent: flag('filterContent'),
    contentCategories: nameList<ContentCategory>('contentCategories', CONTENT_CATEGORIES),
    validateSchema: flag('validateSchema'),
    jsonSchema: z.unknown().optional(),
    applyCustomRules: flag('applyCustomRules'),
    detectSemanticManipulation: flag('detectSemanticManipulation'),
    onViolation: z.enum(VIOLATION_ACTIONS, { error: 'onViolation must be "BLOCKED", "WARNED" or "LOGGED"' }).nullish(),
    agentName: z
      .string({ error: 'agentName must be a string' })
      .max(MAX_AGENT_NAME, `agentName must be at most ${MAX_AGENT_NAME} characters`)
      .nullish(),
  },
  { error: 'Send a JSON object body: {"text": "…", "detectPromptInjection": true, …}' },
);
/** A validated check body. */
export type CheckBody = z.output<typeof checkBody>;

/**
 * `GuardrailCheckResponse` (violation.ts) as a zod schema, for the OpenAPI document (not checked
 * at run time): `details` has the rule, the UTF-16 span and the (masked) match, plus detector fields.
 */
export const checkResponseView = z.object({
  passed: z.boolean(),
  violations: z.array(
    z.object({
      type: z.enum(CHECK_TYPES),
      severity: z.enum(SEVERITIES),
      action: z.enum(VIOLATION_ACTIONS),
      message: z.string(),
      confidence: z.number().min(0).max(1),
      details: z.object({ rule: z.string(), start: z.number().int().min(0), end: z.number().int().min(0), match: z.string() }).catchall(z.unknown()),
    }),
  ),
  redactedContent: z.string().nullable(),
  checks: z.array(z.object({ type: z.enum(CHECK_TYPES), passed: z.boolean(), violationsFound: z.number().int().min(0), durationMs: z.number().min(0) })),
  guardrailSessionId: z.string().nullable(),
});
