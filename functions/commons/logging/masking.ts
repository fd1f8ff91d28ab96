import { isOwnText } from './log-fields.ts';

/** The text that stands in for anything masked. */
export const MASK = '****';

/**
 * Keys whose values are secret wherever they appear, at any depth. Matched exactly but for case
 * (`SecretString`, `SECRETSTRING`). `secretId` is deliberately absent: it names the secret, and log queries
 * need it.
 */
export const SENSITIVE_KEYS: ReadonlySet<string> = new Set([
  'secretstring',
  'secretbinary',
  'secretvalue',
  'password',
  'passphrase',
  'plaintext',
  'privatekey',
  'apikey',
]);

/** Whether a key's value is masked whole, whatever it holds. */
export const isSensitiveKey = (key: string): boolean => SENSITIVE_KEYS.has(key.toLowerCase());

// Bounds that keep masking cheap and total: a log line is never worth a crash or an unbounded pause.
const MAX_DEPTH = 16;
const MAX_STRING_LENGTH = 262_144;
const MAX_JSON_TEXT_LENGTH = 262_144;

/**
 * Masks one value as the logger's JSON replacer sees it: sensitive keys, JSON held inside strings (an SQS
 * body) and every text form of the current request's secrets. Never throws.
 */
export function maskLogValue(key: string, value: unknown, secretForms: readonly string[]): unknown {
  try {
    if (isSensitiveKey(key) && value !== undefined && value !== null) return MASK;
    if (typeof value === 'string') return isOwnText(key, value) ? value : maskText(value, secretForms, 0);
    return value;
  } catch {
    return MASK;
  }
}

function maskText(text: string, secretForms: readonly string[], depth: number): string {
  if (text.length > MAX_STRING_LENGTH) return `[${text.length} characters omitted]`;
  // Replaced in the text as it is first: re-serialising JSON changes its layout (a pretty-printed JSON
  // secret would no longer match), and again after, for what only parsing reveals (escapes, nesting).
  const masked = replaceSecretForms(text, secretForms);
  const jsonMasked = looksLikeJson(masked) ? maskJsonText(masked, secretForms, depth) : undefined;
  return jsonMasked === undefined ? masked : replaceSecretForms(jsonMasked, secretForms);
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart().charAt(0);
  // A string literal too: a body JSON-encoded twice holds the request as an escaped string.
  return (first === '{' || first === '[' || first === '"') && text.length <= MAX_JSON_TEXT_LENGTH;
}

function maskJsonText(text: string, secretForms: readonly string[], depth: number): string | undefined {
  if (depth > MAX_DEPTH) return '[too deep]';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined; // not JSON after all: the secret forms are still replaced in the raw text
  }
  return JSON.stringify(maskParsed(parsed, secretForms, depth + 1));
}

function maskParsed(value: unknown, secretForms: readonly string[], depth: number): unknown {
  if (depth > MAX_DEPTH) return '[too deep]';
  if (typeof value === 'string') return maskText(value, secretForms, depth);
  if (Array.isArray(value)) return value.map((item) => maskParsed(item, secretForms, depth + 1));
  if (typeof value === 'object' && value !== null) {
    const masked: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty: a parsed "__proto__" key stays a plain key, never a prototype.
      Object.defineProperty(masked, key, {
        value: isSensitiveKey(key) && item !== null ? MASK : maskParsed(item, secretForms, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return masked;
  }
  return value;
}

function replaceSecretForms(text: string, secretForms: readonly string[]): string {
  let masked = text;
  for (const form of secretForms) {
    if (masked.includes(form)) masked = masked.replaceAll(form, MASK);
  }
  return masked;
}
