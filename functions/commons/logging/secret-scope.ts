import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The secret values of the request being handled, as every text form they can take in a log line.
 * Scoped with AsyncLocalStorage so that parallel records of one batch never share or miss a mask.
 */
const secretScope = new AsyncLocalStorage<MaskedForms>();

/**
 * The forms, kept in a private field: the store is reachable from whatever the async context touches (an
 * HTTP socket keeps the store of the request that opened it), and `util.inspect` never shows private fields.
 */
class MaskedForms {
  readonly #forms: readonly string[];
  constructor(forms: readonly string[]) {
    this.#forms = forms;
  }
  list(): readonly string[] {
    return this.#forms;
  }
}

/** The secrets of one request: text values, and binary values as the base64 text the request carried. */
export interface SecretsToMask {
  readonly texts: readonly string[];
  readonly binaries?: readonly string[];
}

/** Runs `work` with the secrets registered for masking in everything it logs (including its async work). */
export function runWithSecretsMasked<T>(secrets: SecretsToMask, work: () => T): T {
  const inherited = currentSecretForms();
  const forms = [
    ...secrets.texts.flatMap((text) => textFormsOf(text)),
    ...(secrets.binaries ?? []).flatMap((base64) => textFormsOf(base64, { binary: true })),
  ];
  return secretScope.run(new MaskedForms(uniqueLongestFirst([...inherited, ...forms])), work);
}

/** The text forms of the secrets registered for the current async context, longest first. */
export const currentSecretForms = (): readonly string[] => secretScope.getStore()?.list() ?? [];

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The ways a value is commonly written in a log line: as is, JSON-escaped (also with \uXXXX for every
 * non-ASCII character), base64 and base64url, hex,
 * URL-encoded (both `%20` and `+` for spaces); and, for a binary secret (given as base64), the bytes it
 * decodes to. A part of the value, or an encoding not listed here, is not recognised.
 */
export function textFormsOf(value: string, options: { readonly binary?: boolean } = {}): string[] {
  const forms = new Set<string>();
  const addEncodings = (text: string): void => {
    if (text === '') return;
    forms.add(text);
    forms.add(JSON.stringify(text).slice(1, -1));
    // JSON with every non-ASCII character as \uXXXX, as many serialisers write it (Python's json.dumps).
    forms.add(
      JSON.stringify(text)
        .slice(1, -1)
        .replace(
          /[\u007f-\uffff]/g,
          (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
        ),
    );
    const base64 = Buffer.from(text, 'utf8').toString('base64');
    forms.add(base64);
    forms.add(base64.replace(/=+$/, ''));
    forms.add(Buffer.from(text, 'utf8').toString('base64url'));
    const hex = Buffer.from(text, 'utf8').toString('hex');
    forms.add(hex);
    forms.add(hex.toUpperCase());
    const uriEncoded = safeEncodeUriComponent(text);
    if (uriEncoded !== undefined) {
      forms.add(uriEncoded);
      forms.add(uriEncoded.replaceAll('%20', '+'));
    }
  };
  addEncodings(value);
  if (options.binary === true && STANDARD_BASE64.test(value)) {
    const bytes = Buffer.from(value, 'base64');
    // The canonical base64 of the bytes (what the SDK sends) differs from the request's own text when that
    // set padding bits: `QR==` and `QQ==` are the same byte.
    const canonical = bytes.toString('base64');
    forms.add(canonical);
    forms.add(canonical.replace(/=+$/, ''));
    addEncodings(bytes.toString('latin1'));
    const asUtf8 = bytes.toString('utf8');
    if (!asUtf8.includes('\uFFFD')) addEncodings(asUtf8);
    forms.add(bytes.toString('base64url'));
    forms.add(bytes.toString('hex'));
    forms.add(bytes.toString('hex').toUpperCase());
  }
  forms.delete('');
  return [...forms];
}

function safeEncodeUriComponent(text: string): string | undefined {
  try {
    return encodeURIComponent(text);
  } catch {
    return undefined; // lone surrogates cannot be URL-encoded; the other forms still apply
  }
}

function uniqueLongestFirst(forms: readonly string[]): string[] {
  return [...new Set(forms)].sort((left, right) => right.length - left.length);
}
