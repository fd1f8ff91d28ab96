import * as v from 'valibot';
import { SecretUpdateValidationError } from '../errors.ts';

/**
 * The public request contract: UpdateSecret's parameters in camelCase, plus `idempotencyKey`.
 * The README documents every rule; the messages below are the only texts a caller ever sees (valibot's own
 * messages quote the received value, so none of them is passed on).
 */
export interface SecretUpdateRequest {
  readonly secretId: string;
  readonly secretString?: string;
  readonly secretBinary?: string;
  readonly description?: string;
  readonly kmsKeyId?: string;
  readonly clientRequestToken?: string;
  readonly idempotencyKey?: string;
}

export const MAX_SECRET_VALUE_BYTES = 65_536;
const MAX_SECRET_NAME_LENGTH = 512;
const MAX_SECRET_ID_LENGTH = 2_048;
const MAX_DESCRIPTION_LENGTH = 2_048;
const MAX_KMS_KEY_ID_LENGTH = 2_048;
const MAX_IDEMPOTENCY_KEY_LENGTH = 256;

const SECRET_NAME = /^[A-Za-z0-9/_+=.@!-]+$/;
// A full ARN ends in "-" and 6 random characters after the name (of up to 512); a partial ARN stops at the name.
const SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@!-]{1,512}(?:-[A-Za-z0-9]{6})?$/;
const CLIENT_REQUEST_TOKEN = /^[A-Za-z0-9-]{32,64}$/;
const STANDARD_PADDED_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// Not printable: control and format characters (zero-width ones included), line and paragraph separators,
// private-use and unassigned code points.
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/u;
const NOT_BLANK = /\S/u;

const FIELD_NAMES = [
  'secretId',
  'secretString',
  'secretBinary',
  'description',
  'kmsKeyId',
  'clientRequestToken',
  'idempotencyKey',
] as const;
type FieldName = (typeof FIELD_NAMES)[number];

/** Whether a text is a secret name or a full or partial Secrets Manager ARN, as the contract accepts it. */
export const isSecretId = (secretId: string): boolean =>
  secretId.length <= MAX_SECRET_ID_LENGTH &&
  (SECRET_ARN.test(secretId) || (secretId.length <= MAX_SECRET_NAME_LENGTH && SECRET_NAME.test(secretId)));

const isPrintable = (text: string): boolean => text.isWellFormed() && !NOT_PRINTABLE.test(text);

/** Whether a text can serve as an idempotencyKey: 1-256 printable characters (code points), not all blank. */
export const isValidIdempotencyKey = (key: string): boolean => {
  const length = [...key].length;
  return length >= 1 && length <= MAX_IDEMPOTENCY_KEY_LENGTH && isPrintable(key) && NOT_BLANK.test(key);
};

/** Bytes a standard padded base64 text decodes to (the text is already known to be valid). */
export const decodedBase64Length = (base64: string): number =>
  (base64.length / 4) * 3 - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);

const NOT_AN_OBJECT = 'the request must be a JSON object';

/** The message of a field that is not a string; null gets its own, since it is often meant as "absent". */
const mustBeString =
  (field: FieldName) =>
  (issue: v.StringIssue): string =>
    issue.received === 'null'
      ? `${field} must be a string (null is not the same as leaving it out)`
      : `${field} must be a string`;

const requestSchema = v.pipe(
  v.strictObject(
    {
      secretId: v.pipe(
        v.string(mustBeString('secretId')),
        v.check(
          isSecretId,
          'secretId must be a secret name (1-512 letters, digits or /_+=.@!-) or a full or partial Secrets Manager ARN',
        ),
      ),
      secretString: v.optional(
        v.pipe(
          v.string(mustBeString('secretString')),
          v.check((value) => value.length > 0, 'secretString must not be empty'),
          v.check(
            (value) => value.isWellFormed(),
            'secretString must be well-formed Unicode (no lone surrogates)',
          ),
          v.check(
            (value) => Buffer.byteLength(value, 'utf8') <= MAX_SECRET_VALUE_BYTES,
            'secretString must be at most 65,536 bytes in UTF-8',
          ),
        ),
      ),
      secretBinary: v.optional(
        v.pipe(
          v.string(mustBeString('secretBinary')),
          v.check((value) => value.length > 0, 'secretBinary must not be empty'),
          v.check(
            (value) => STANDARD_PADDED_BASE64.test(value),
            'secretBinary must be standard base64 with padding (A-Z, a-z, 0-9, +, /, =)',
          ),
          v.check(
            (value) => decodedBase64Length(value) <= MAX_SECRET_VALUE_BYTES,
            'secretBinary must decode to at most 65,536 bytes',
          ),
        ),
      ),
      description: v.optional(
        v.pipe(
          v.string(mustBeString('description')),
          // Counted as JavaScript (and, we expect, the service) counts string length, so that nothing accepted
          // here is refused by Secrets Manager later.
          v.check(
            (value) => value.length <= MAX_DESCRIPTION_LENGTH,
            'description must be at most 2,048 UTF-16 code units (an emoji or other character beyond U+FFFF counts as two)',
          ),
          v.check((value) => value.isWellFormed(), 'description must be well-formed Unicode'),
        ),
      ),
      kmsKeyId: v.optional(
        v.pipe(
          v.string(mustBeString('kmsKeyId')),
          v.check(
            (value) => value.length <= MAX_KMS_KEY_ID_LENGTH && (value === '' || isPrintable(value)),
            'kmsKeyId must be a key id, key ARN, alias name or alias ARN of at most 2,048 printable characters, or "" for the AWS managed key',
          ),
        ),
      ),
      clientRequestToken: v.optional(
        v.pipe(
          v.string(mustBeString('clientRequestToken')),
          v.check(
            (value) => CLIENT_REQUEST_TOKEN.test(value),
            'clientRequestToken must be 32-64 letters, digits or -',
          ),
        ),
      ),
      idempotencyKey: v.optional(
        v.pipe(
          v.string(mustBeString('idempotencyKey')),
          v.check(isValidIdempotencyKey, 'idempotencyKey must be 1-256 printable characters, not all blank'),
        ),
      ),
    },
    NOT_AN_OBJECT,
  ),
  v.check(
    (request) => request.secretString === undefined || request.secretBinary === undefined,
    'secretString and secretBinary cannot both be given: choose one',
  ),
  v.check(
    (request) =>
      request.secretString !== undefined ||
      request.secretBinary !== undefined ||
      request.description !== undefined ||
      request.kmsKeyId !== undefined,
    'the request changes nothing: give secretString, secretBinary, description or kmsKeyId',
  ),
);

/**
 * Validates an untrusted value against the request contract.
 * Throws a SecretUpdateValidationError naming the first broken rule; the value is never quoted.
 */
export function parseSecretUpdateRequest(input: unknown): SecretUpdateRequest {
  // valibot's object schemas accept arrays (they are objects); a request never is one.
  if (Array.isArray(input)) throw new SecretUpdateValidationError(NOT_AN_OBJECT);
  const result = v.safeParse(requestSchema, input);
  if (result.success) return result.output as SecretUpdateRequest;
  // An unknown field comes first: `{SecretId, SecretString}` (the AWS API's shape) should hear about
  // camelCase, not that secretId is missing.
  const issue = result.issues.find(isUnknownFieldIssue) ?? result.issues[0];
  throw new SecretUpdateValidationError(describeIssue(issue));
}

type Issue = v.InferIssue<typeof requestSchema>;

const isUnknownFieldIssue = (issue: Issue): boolean =>
  issue.type === 'strict_object' && issue.expected === 'never';

function describeIssue(issue: Issue): string {
  const key = issue.path?.[0]?.key;
  if (issue.type === 'strict_object' && typeof key === 'string') {
    if (issue.expected === 'never') return describeUnknownField(key);
    return `${key} is required`;
  }
  return issue.message;
}

function describeUnknownField(key: string): string {
  const camelCase = `${key.charAt(0).toLowerCase()}${key.slice(1)}`;
  if (camelCase !== key && (FIELD_NAMES as readonly string[]).includes(camelCase)) {
    return `${key} is not a field: fields are camelCase, use ${camelCase}`;
  }
  // The unknown key is caller data and could even be a value: it is named only when it is a near miss of a
  // field name (a typo), which is what the caller needs to see.
  const intended = FIELD_NAMES.find((field) => isNearMiss(key, field));
  if (intended !== undefined) return `unknown field ${key}: did you mean ${intended}?`;
  return `the request has an unknown field (not repeated here): the fields are ${FIELD_NAMES.join(', ')}`;
}

/** A typo of `field`: the same up to case and at most two edits (insert, delete, replace). */
function isNearMiss(key: string, field: string): boolean {
  if (Math.abs(key.length - field.length) > 2) return false;
  const [from, to] = [key.toLowerCase(), field.toLowerCase()];
  let previous = Array.from({ length: to.length + 1 }, (_, index) => index);
  for (let row = 1; row <= from.length; row++) {
    const current = [row];
    for (let column = 1; column <= to.length; column++) {
      const substitution = (previous[column - 1] ?? 0) + (from[row - 1] === to[column - 1] ? 0 : 1);
      current.push(Math.min((previous[column] ?? 0) + 1, (current[column - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return (previous[to.length] ?? Number.POSITIVE_INFINITY) <= 2;
}
