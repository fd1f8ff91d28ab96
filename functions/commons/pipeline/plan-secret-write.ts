import type { UpdateIdentity } from '../request/identity.ts';
import type { SecretUpdateRequest } from '../request/request-schema.ts';
import type { SecretValue } from '../secrets/secret-value.ts';
import type { SecretWrite } from '../secrets/secret-writer.ts';

/**
 * Step 2 of the pipeline: decides the UpdateSecret call. Today every request is written as asked; skipping
 * unchanged values, merging JSON keys, the version-quota guard and compare-and-set slot in here.
 */
export function planSecretWrite(
  request: SecretUpdateRequest,
  identity: UpdateIdentity,
  clientRequestToken: string,
  value: SecretValue | undefined,
): SecretWrite {
  return {
    secretId: identity.secretId,
    clientRequestToken,
    value,
    description: request.description,
    kmsKeyId: request.kmsKeyId,
  };
}
