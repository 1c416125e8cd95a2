/**
 * Phrase pools of the fake agent (src/resources/chat/agent.ts): openers, numbered steps, bullets,
 * code blocks, knowledge-base articles and closers that read like a helpful operations / support
 * agent's answer. `{topic}` is replaced with the prompt's keywords, `{n}` with a seeded number.
 */

/** First line of a reply. */
export const OPENERS = [
  "Good question! Here's what I found about {topic}.",
  "Sure — here's how I'd approach {topic}.",
  'Happy to help with {topic}. Here is a short rundown.',
  "Here's a quick overview of {topic}.",
  'Thanks for the details. For {topic}, this is what usually works:',
  'Let me break {topic} down into a few steps.',
] as const;

/** Opener after a knowledge-base search; `{article}` is the article found. */
export const SEARCH_OPENERS = [
  'I checked the knowledge base: the article *{article}* covers {topic}.',
  'According to *{article}* in the knowledge base, {topic} comes down to a few things.',
] as const;

/** Opener after an HTTP Request node call. */
export const LOOKUP_OPENERS = [
  'I looked up the record through the API (HTTP 200). Here is what it says about {topic}.',
  'The order API answered, so I can be specific about {topic}.',
] as const;

/** Numbered steps: `[title, detail]`. */
export const STEPS: ReadonlyArray<readonly [string, string]> = [
  ['Confirm the scope', 'check which accounts or robots are affected, and since when.'],
  ['Check recent changes', 'look at the last deployment, firmware update or configuration change before it started.'],
  ['Reproduce it once', 'run the workflow manually with the same input and compare the node outputs.'],
  ['Read the execution history', 'a failed execution names the node and the error message that stopped the run.'],
  ['Verify the credentials', 'an expired API key or a revoked OAuth grant is the most common cause of sudden failures.'],
  ['Add a guardrail', 'a Guardrail node in front of the AI Agent blocks prompt injection and redacts PII.'],
  ['Notify the right channel', 'post a short summary to Slack so whoever is on call has the context.'],
  ['Document the fix', 'add the resolution to the knowledge base so the agent can answer it next time.'],
  ['Set a retry policy', 'transient HTTP 429 and 5xx answers usually succeed on a retry with backoff.'],
  ['Watch the rate limits', '`X-RateLimit-Remaining` and `X-RateLimit-Reset` show how close you are to the limit.'],
  ['Review a sample', 'spot-check a few results before you switch the workflow on for everyone.'],
  ['Escalate when needed', 'for Enterprise customers, loop in their account manager early.'],
  ['Recalibrate the gripper', 'run *Maintenance → Calibrate* from the robot console; it takes about two minutes.'],
  ['Restart the edge gateway', 'a restart clears stale MQTT sessions without touching the robot configuration.'],
] as const;

/** Bullet points (full sentences, some with emphasis). */
export const BULLETS = [
  '**Response time**: most tickets like this are resolved within one business day.',
  '**Billing**: refunds are prorated to the day and show up within 5–7 business days.',
  '**Warranty**: grippers are covered for 24 months, wear parts (pads, belts) for 6.',
  '**Firmware**: version 4.2 fixed the calibration drift reported last quarter.',
  '**Access**: only ADMIN and BUILDER roles can change workflows; OPERATORs can run them.',
  '**Data retention**: execution logs are kept for 90 days unless your plan says otherwise.',
  '**Shipping**: spare parts ship from the Rotterdam warehouse, usually next day in the EU.',
  '**Integrations**: Slack, Gmail, Google Sheets and Jira work as agent tools out of the box.',
  '**Security**: credentials are encrypted at rest and never shown again after you save them.',
  '**Limits**: the Business plan allows 1,000 API requests per minute per team.',
] as const;

/** Section headings for bullet replies. */
export const HEADINGS = ['What to know', 'Key points', 'Summary', 'Details', 'In short'] as const;

/** Code blocks (`{n}` is a seeded number). */
export const CODE_BLOCKS = [
  '```json\n{\n  "ticketId": "T-{n}",\n  "priority": "high",\n  "category": "hardware",\n  "assignee": "on-call"\n}\n```',
  '```bash\ncurl -s -H "Authorization: Bearer $NODELOOM_TOKEN" \\\n  "https://api.nodeloom.io/api/executions?teamId=$TEAM_ID&status=FAILED&size=5"\n```',
  "```sql\nSELECT robot_id, count(*) AS faults\nFROM robot_events\nWHERE type = 'GRIPPER_FAULT' AND created_at > now() - interval '7 days'\nGROUP BY robot_id\nORDER BY faults DESC\nLIMIT 5;\n```",
  "```ts\nconst res = await fetch(`/api/workflows/${workflowId}/execute`, {\n  method: 'POST',\n  headers: { 'Content-Type': 'application/json' },\n  body: JSON.stringify({ orderId: {n} }),\n});\n```",
  '```python\nfor ticket in tickets:\n    if ticket["priority"] == "urgent":\n        notify(ticket["id"], channel="#support-escalations")\n```',
] as const;

/** Knowledge-base articles a search finds. */
export const ARTICLES = [
  'Calibrating the gripper after a firmware update',
  'Resetting a robot’s network configuration',
  'How prorated refunds work',
  'Troubleshooting webhook delivery failures',
  'Setting up single sign-on for your team',
  'Understanding API rate limits',
  'Replacing gripper pads step by step',
  'Routing support tickets with an AI agent',
] as const;

/** Thoughts before acting (3.5 [INF] `thought` events, the ReAct panel of D-ACHAT). */
export const THOUGHTS = [
  'The user is asking about {topic}. I should search the knowledge base before answering.',
  'A knowledge-base search about {topic} will give me the exact procedure.',
  'I need the current record to answer precisely, so I will call the order API first.',
  'I can answer this from what I know; a short list will be easiest to follow.',
] as const;

/** Last line of a reply. */
export const CLOSERS = [
  'Let me know if you want me to dig deeper into any of these.',
  'Anything else I can help you with?',
  'If that does not solve it, I can open a ticket for the support team.',
  'Want me to draft a message to the customer based on this?',
  'Hope this helps!',
] as const;

/** Words never used as topic keywords. */
export const STOPWORDS = new Set(
  'about after again also been before being could does doing from have having here into just like more most much need should some than that their them then there these they this those through want what when where which while will with would your yours please thanks thank hello there able help'.split(' '),
);
