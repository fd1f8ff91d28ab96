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
export function secretValuesIn(request: unknown): string[] {
  if (typeof request !== 'object' || request === null) return [];
  const fields = request as Record<string, unknown>;
  return ['secretString', 'secretBinary', 'SecretString', 'SecretBinary']
    .map((field) => (Object.hasOwn(fields, field) ? fields[field] : undefined))
    .filter((value): value is string => typeof value === 'string' && value !== '');
}
