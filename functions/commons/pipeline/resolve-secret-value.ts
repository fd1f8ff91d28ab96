import type { SecretsToMask } from '../logging/secret-scope.ts';
import type { SecretUpdateRequest } from '../request/request-schema.ts';
import type { SecretValue } from '../secrets/secret-value.ts';

/**
 * Step 1 of the pipeline: the value the update writes, or undefined for a metadata-only update.
 * Today the value travels in the request; generated, KMS-encrypted and copied values slot in here.
 */
export function resolveSecretValue(request: SecretUpdateRequest): Promise<SecretValue | undefined> {
  if (request.secretString !== undefined) {
    return Promise.resolve({ kind: 'string', text: request.secretString });
  }
  if (request.secretBinary !== undefined) {
    return Promise.resolve({ kind: 'binary', bytes: Buffer.from(request.secretBinary, 'base64') });
  }
  return Promise.resolve(undefined);
}

/** The secret values a raw request may carry, valid or not, so that they are masked before validation. */
export function secretsIn(request: unknown): SecretsToMask {
  if (typeof request !== 'object' || request === null) return { texts: [] };
  const fields = request as Record<string, unknown>;
  const stringsOf = (names: readonly string[]): string[] =>
    names
      .map((name) => (Object.hasOwn(fields, name) ? fields[name] : undefined))
      .filter((value): value is string => typeof value === 'string' && value !== '');
  return {
    texts: stringsOf(['secretString', 'SecretString']),
    binaries: stringsOf(['secretBinary', 'SecretBinary']),
  };
}
