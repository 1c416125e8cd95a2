/**
 * The content filter's lists (documented in the README's Guardrails section): per category, the
 * terms that flag a text, and the allow-phrases that clear a term inside them ("assassin's creed
 * review" is about a game). Terms and phrases match whole words (phrase-matcher.ts), so "Sussex"
 * never matches "sex" and "scunthorpe" nothing at all. The lists are deliberately short and hold
 * no slurs: they exist so tests can make the filter fire and stay quiet on purpose.
 */

/** The categories of `contentCategories` (nodeloom-api.md 3.8). */
export const CONTENT_CATEGORIES = ['hate', 'harassment', 'violence', 'self_harm', 'sexual'] as const;
export type ContentCategory = (typeof CONTENT_CATEGORIES)[number];

/** Terms per category; a term of several words is a phrase. */
export const CONTENT_TERMS: Readonly<Record<ContentCategory, readonly string[]>> = {
  hate: [
    'inferior race', 'master race', 'racial purity', 'ethnic cleansing', 'subhuman', 'untermenschen', 'go back to your country',
    'white power', 'white supremacy', 'heil hitler', 'death to all', 'are vermin', 'are animals', 'gas them', 'exterminate them',
  ],
  harassment: [
    'kill yourself', 'kys', 'you are worthless', "you're worthless", 'you are pathetic', "you're pathetic", 'nobody likes you',
    'nobody loves you', 'you are disgusting', "you're disgusting", 'i know where you live', 'you will regret this', 'you deserve to die',
    'idiot', 'moron', 'loser', 'shut up',
  ],
  violence: [
    'assassin', 'assassinate', 'assassination', 'murder', 'massacre', 'behead', 'bomb', 'pipe bomb', 'make a bomb', 'build a bomb',
    'mass shooting', 'school shooting', 'shoot up', 'stab', 'torture', 'i will kill you', 'kill you', 'kill him', 'kill her',
    'kill them', 'kill everyone', 'blow up', 'terrorist attack',
  ],
  self_harm: [
    'kill myself', 'killing myself', 'suicide', 'suicidal', 'end my life', 'want to die', 'self harm', 'self-harm', 'cut myself',
    'cutting myself', 'overdose', 'hang myself', 'no reason to live',
  ],
  sexual: [
    'porn', 'porno', 'pornography', 'pornographic', 'nude', 'nudes', 'naked photos', 'sexually explicit', 'explicit sex', 'have sex',
    'sex tape', 'erotic', 'nsfw', 'blowjob', 'orgasm',
  ],
};

/**
 * Allow-phrases: a term lying wholly inside one of these is not a finding, whatever its category.
 * Games, films, idioms and tech jargon that contain a listed term.
 */
export const ALLOW_PHRASES: readonly string[] = [
  "assassin's creed", 'assassins creed', 'murder mystery', 'murder mysteries', 'bath bomb', 'photo bomb', 'bomb calorimeter',
  'take a stab', 'a stab at', 'blow up the balloon', 'blow up a balloon', 'blow up the photo', 'blow up the image', 'suicide squad',
  'suicide prevention', 'suicide hotline', 'self harm prevention', 'self-harm prevention', 'overdose prevention', 'idiot proof',
  'idiot-proof', 'shut up shop', 'nude color', 'nude shade', 'torture test', 'bug bounty loser',
];
