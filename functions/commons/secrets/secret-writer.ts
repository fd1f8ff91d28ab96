import { type SecretsManagerClient, UpdateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { classifySecretsManagerError } from './classify-secrets-manager-error.ts';
import type { SecretValue } from './secret-value.ts';

/** One UpdateSecret call, as the pipeline decided it. */
export interface SecretWrite {
  readonly secretId: string;
  readonly clientRequestToken: string;
  readonly value?: SecretValue | undefined;
  readonly description?: string | undefined;
  readonly kmsKeyId?: string | undefined;
}

/** The non-secret facts of a successful UpdateSecret (never the raw SDK output, which is not storable). */
export interface SecretWriteOutcome {
  readonly secretArn: string;
  readonly secretName: string;
  /** Absent for a metadata-only update, which creates no version. */
  readonly versionId?: string;
}

/** Per call: an abort signal ends the call and the SDK's retries (the invocation's deadline is near). */
export interface WriteOptions {
  readonly abortSignal?: AbortSignal | undefined;
}

export interface SecretWriter {
  /** Applies the write with UpdateSecret; throws a classified SecretUpdateError. */
  readonly write: (write: SecretWrite, options?: WriteOptions) => Promise<SecretWriteOutcome>;
  /**
   * Re-sends only the value with the same token. Secrets Manager answers success without any change when the
   * token's version holds this very value, and ResourceExistsException when it holds another: the service
   * compares the values, so nothing of the value is ever stored on our side.
   */
  readonly confirmValue: (
    write: SecretWrite & { readonly value: SecretValue },
    options?: WriteOptions,
  ) => Promise<SecretWriteOutcome>;
}

export function createSecretWriter(client: SecretsManagerClient): SecretWriter {
  const send = async (
    input: UpdateSecretCommand['input'],
    options: WriteOptions = {},
  ): Promise<SecretWriteOutcome> => {
    try {
      const output = await client.send(
        new UpdateSecretCommand(input),
        options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal },
      );
      if (output.ARN === undefined || output.Name === undefined) {
        throw new Error('UpdateSecret answered without ARN or Name');
      }
      return {
        secretArn: output.ARN,
        secretName: output.Name,
        ...(output.VersionId === undefined ? {} : { versionId: output.VersionId }),
      };
    } catch (failure) {
      throw classifySecretsManagerError(failure);
    }
  };
  return {
    write: (write, options) =>
      send(
        {
          SecretId: write.secretId,
          // Always our own token: left out, the SDK would invent a random one per call and a retry after a
          // crash would create a second version.
          ClientRequestToken: write.clientRequestToken,
          ...valueParameters(write.value),
          ...(write.description === undefined ? {} : { Description: write.description }),
          ...(write.kmsKeyId === undefined ? {} : { KmsKeyId: write.kmsKeyId }),
        },
        options,
      ),
    confirmValue: (write, options) =>
      send(
        {
          SecretId: write.secretId,
          ClientRequestToken: write.clientRequestToken,
          ...valueParameters(write.value),
        },
        options,
      ),
  };
}

function valueParameters(value: SecretValue | undefined): Partial<UpdateSecretCommand['input']> {
  if (value === undefined) return {};
  return value.kind === 'string' ? { SecretString: value.text } : { SecretBinary: value.bytes };
}
