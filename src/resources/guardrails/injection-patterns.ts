import type { PhrasePattern } from './phrase-matcher.ts';

/**
 * The curated prompt-injection evidence (documented in the README's Guardrails section). Each
 * pattern is a rule id, a weight (how strongly it alone indicates an injection, 0–1) and phrase
 * slots matched over normalised words (phrase-matcher.ts: lower case, accents stripped, look-alike
 * letters folded, leetspeak de-leeted). The detector combines the weights of the distinct rules it
 * finds (noisy-OR) into the violation's confidence.
 */
export interface InjectionPattern extends PhrasePattern {
  weight: number;
  /** ISO 639-1 code of the phrase's language. */
  language: string;
}

const IGNORE_EN = ['ignore', 'disregard', 'forget', 'skip', 'override', 'bypass', 'neglect', 'drop', 'abandon'];
// Not "these"/"the" ("please ignore these instructions if you already signed up" is an ordinary e-mail).
const SCOPE_EN = ['previous', 'prior', 'above', 'earlier', 'preceding', 'all', 'any', 'your', 'initial', 'original', 'former', 'system'];
const RULES_EN = ['instructions', 'instruction', 'rules', 'directions', 'guidelines', 'prompt', 'prompts', 'directives', 'constraints', 'programming', 'guardrails', 'restrictions', 'context'];
const SECRET_EN = ['system prompt', 'system message', 'initial prompt', 'hidden prompt', 'hidden instructions', 'original instructions', 'initial instructions', 'secret instructions', 'developer message', 'system instructions', 'pre-prompt', 'instructions above'];

/** Phrase evidence, by rule. */
export const INJECTION_PATTERNS: readonly InjectionPattern[] = [
  // Ignore previous instructions, in several languages.
  { id: 'injection.ignore_instructions', weight: 0.9, language: 'en', gap: 2, slots: [IGNORE_EN, SCOPE_EN, RULES_EN] },
  { id: 'injection.ignore_instructions', weight: 0.8, language: 'en', gap: 2, slots: [['forget', 'ignore', 'disregard'], ['everything', 'all'], ['above', 'before', 'said', 'previously', 'told', 'so far']] },
  { id: 'injection.ignore_instructions', weight: 0.9, language: 'fr', gap: 2, slots: [['ignore', 'ignorez', 'ignorer', 'oublie', 'oubliez', 'oublier'], ['instructions', 'consignes', 'règles', 'directives'], ['précédentes', 'antérieures', 'ci-dessus', 'données']] },
  { id: 'injection.ignore_instructions', weight: 0.9, language: 'fr', gap: 2, slots: [['ignore', 'ignorez', 'ignorer', 'oublie', 'oubliez', 'oublier'], ['toutes', 'tous'], ['instructions', 'consignes', 'règles']] },
  { id: 'injection.ignore_instructions', weight: 0.9, language: 'es', gap: 2, slots: [['ignora', 'ignore', 'ignorar', 'olvida', 'olvide', 'olvidar'], ['instrucciones', 'reglas', 'indicaciones'], ['anteriores', 'previas', 'precedentes']] },
  { id: 'injection.ignore_instructions', weight: 0.9, language: 'es', gap: 2, slots: [['ignora', 'ignore', 'olvida', 'olvide'], ['todas', 'todo'], ['instrucciones', 'reglas', 'anterior']] },
  { id: 'injection.ignore_instructions', weight: 0.9, language: 'pt', gap: 2, slots: [['ignore', 'ignora', 'ignorar', 'esqueça', 'esquece'], ['instruções', 'regras'], ['anteriores', 'prévias']] },
  { id: 'injection.ignore_instructions', weight: 0.9, language: 'it', gap: 2, slots: [['ignora', 'ignorare', 'dimentica', 'dimenticare'], ['istruzioni', 'regole'], ['precedenti', 'sopra']] },
  { id: 'injection.ignore_instructions', weight: 0.9, language: 'de', gap: 2, slots: [['ignoriere', 'ignorieren', 'ignoriert', 'vergiss', 'vergessen'], ['vorherigen', 'vorherige', 'bisherigen', 'obigen', 'alle', 'deine'], ['anweisungen', 'anweisung', 'instruktionen', 'regeln', 'vorgaben']] },
  { id: 'injection.ignore_instructions', weight: 0.9, language: 'nl', gap: 2, slots: [['negeer', 'vergeet'], ['vorige', 'eerdere', 'alle', 'bovenstaande'], ['instructies', 'regels']] },
  { id: 'injection.ignore_instructions', weight: 0.9, language: 'ru', gap: 2, slots: [['игнорируй', 'игнорируйте', 'забудь', 'забудьте', 'проигнорируй'], ['предыдущие', 'все', 'прежние', 'свои'], ['инструкции', 'указания', 'правила']] },
  { id: 'injection.ignore_instructions', weight: 0.9, language: 'zh', gap: 6, slots: [['忽略', '无视', '忘记', '忽视'], ['指令', '指示', '规则', '提示']] },
  { id: 'injection.ignore_instructions', weight: 0.9, language: 'ja', gap: 6, slots: [['指示', '命令', 'ルール'], ['無視']] },
  // Reveal the system prompt.
  { id: 'injection.reveal_system_prompt', weight: 0.85, language: 'en', gap: 3, slots: [['reveal', 'show', 'print', 'display', 'output', 'repeat', 'tell', 'give', 'leak', 'dump', 'share', 'write', 'what', 'recite', 'disclose'], SECRET_EN] },
  { id: 'injection.reveal_system_prompt', weight: 0.85, language: 'fr', gap: 3, slots: [['révèle', 'révélez', 'montre', 'montrez', 'affiche', 'affichez', 'donne'], ['prompt système', 'instructions système', 'instructions initiales']] },
  { id: 'injection.reveal_system_prompt', weight: 0.85, language: 'es', gap: 3, slots: [['revela', 'muestra', 'muéstrame', 'dime', 'imprime'], ['prompt del sistema', 'instrucciones del sistema', 'instrucciones iniciales']] },
  { id: 'injection.reveal_system_prompt', weight: 0.85, language: 'de', gap: 3, slots: [['zeige', 'zeig', 'verrate', 'gib'], ['systemprompt', 'system-prompt', 'systemanweisungen', 'anfangsanweisungen']] },
  { id: 'injection.reveal_system_prompt', weight: 0.85, language: 'zh', gap: 6, slots: [['显示', '告诉', '输出', '泄露', '重复'], ['系统提示', '系统指令', '初始指令']] },
  { id: 'injection.reveal_system_prompt', weight: 0.85, language: 'ja', gap: 6, slots: [['システムプロンプト'], ['表示', '教えて', '出力']] },
  // Role-play jailbreaks.
  { id: 'injection.role_play_jailbreak', weight: 0.9, language: 'en', slots: [['do anything now']] },
  { id: 'injection.role_play_jailbreak', weight: 0.8, language: 'en', gap: 3, slots: [['you are now', 'act as', 'pretend to be', 'pretend you are', 'roleplay as', 'role-play as', 'play the role of', 'behave like', 'simulate'], ['dan', 'unrestricted', 'unfiltered', 'uncensored', 'jailbroken', 'evil', 'amoral', 'unethical', 'aim', 'stan', 'dude', 'no limits']] },
  { id: 'injection.role_play_jailbreak', weight: 0.75, language: 'en', gap: 4, slots: [['pretend', 'imagine', 'act', 'roleplay', 'role-play'], ['no', 'without'], ['restrictions', 'limitations', 'filters', 'rules', 'guidelines', 'censorship', 'morals', 'ethics']] },
  { id: 'injection.role_play_jailbreak', weight: 0.75, language: 'fr', gap: 3, slots: [['tu es maintenant', 'fais comme si', 'agis comme'], ['sans', 'libre', 'non censuré']] },
  { id: 'injection.role_play_jailbreak', weight: 0.75, language: 'es', gap: 3, slots: [['ahora eres', 'actúa como', 'finge que eres'], ['sin', 'libre', 'sin censura']] },
  { id: 'injection.role_play_jailbreak', weight: 0.75, language: 'de', gap: 3, slots: [['du bist jetzt', 'tu so als', 'spiele'], ['ohne', 'uneingeschränkt', 'unzensiert']] },
  { id: 'injection.jailbreak_keyword', weight: 0.6, language: 'en', slots: [['jailbreak', 'jailbroken', 'jailbreaking']] },
  { id: 'injection.developer_mode', weight: 0.5, language: 'en', gap: 1, slots: [['developer', 'god', 'dan', 'debug', 'admin', 'sudo', 'unrestricted', 'maintenance'], ['mode']] },
  { id: 'injection.no_restrictions', weight: 0.5, language: 'en', gap: 2, slots: [['no', 'without', 'zero', 'free of', 'free from', 'remove', 'disable', 'turn off'], ['restrictions', 'limitations', 'filters', 'filtering', 'censorship', 'safety', 'guardrails', 'content policy']] },
  { id: 'injection.stay_in_character', weight: 0.4, language: 'en', gap: 1, slots: [['stay', 'remain', 'never break'], ['in character', 'character']] },
  // A new set of instructions.
  { id: 'injection.new_instructions', weight: 0.45, language: 'en', gap: 1, slots: [['new', 'updated', 'real', 'actual', 'true'], ['instructions', 'task', 'objective', 'directive', 'rules']] },
  { id: 'injection.new_instructions', weight: 0.35, language: 'en', gap: 1, slots: [['from now on'], ['you', 'your', 'respond', 'answer', 'only', 'always']] },
  // Encoding tricks spelled out.
  { id: 'injection.decode_and_follow', weight: 0.5, language: 'en', gap: 4, slots: [['decode', 'decrypt', 'translate', 'convert', 'unscramble'], ['base64', 'base 64', 'rot13', 'rot-13', 'hex', 'binary', 'morse'], ['follow', 'execute', 'obey', 'run', 'do', 'perform', 'carry out']] },
  { id: 'injection.end_of_prompt', weight: 0.5, language: 'en', gap: 1, slots: [['end of'], ['system prompt', 'prompt', 'instructions', 'context']] },
];

/** Chat-template and delimiter markers found in the raw text (case-insensitive). */
export const DELIMITER_MARKERS: ReadonlyArray<{ id: string; literal: string; weight: number }> = [
  ...['<|im_start|>', '<|im_end|>', '<|endoftext|>', '<|system|>', '<|user|>', '<|assistant|>', '<|eot_id|>', '<|start_header_id|>'].map((literal) => ({ id: 'injection.delimiter.chat_template', literal, weight: 0.75 })),
  ...['[INST]', '[/INST]', '<<SYS>>', '<</SYS>>'].map((literal) => ({ id: 'injection.delimiter.llama', literal, weight: 0.75 })),
  ...['<system>', '</system>', '<instructions>', '</instructions>', '[system]', '{{system}}'].map((literal) => ({ id: 'injection.delimiter.tag', literal, weight: 0.5 })),
  ...['### system', '###system', '### instruction', '### new instruction', '```system'].map((literal) => ({ id: 'injection.delimiter.heading', literal, weight: 0.5 })),
];

/** Role labels that, first on a line and followed by `:`, fake a turn of the conversation. */
export const ROLE_LABELS: ReadonlySet<string> = new Set(['system', 'assistant', 'developer']);
export const ROLE_LABEL_WEIGHT = 0.45;

/** A base64 run decoding to text that holds injection phrases. */
export const ENCODED_PAYLOAD_WEIGHT = 0.85;
/** Zero-width characters, full-width letters or look-alike letters inside words (once per text). */
export const OBFUSCATION_WEIGHT = 0.35;
/** A phrase inside a closed pair of double quotes is mentioned, not used: its weight is multiplied by this. */
export const QUOTED_FACTOR = 0.5;
