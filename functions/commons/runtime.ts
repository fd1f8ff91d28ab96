import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readConfig, type SecretUpdaterConfig } from './config.ts';
import { createIdempotentWriter } from './idempotency/idempotent-write.ts';
import { createUpdatePipeline, type UpdatePipeline } from './pipeline/update-pipeline.ts';
import { compileAllowlist } from './policy/allowlist.ts';
import { createSecretWriter } from './secrets/secret-writer.ts';
import { AWS_REQUEST_TIMEOUTS, createSecretsManagerClient } from './secrets/secrets-manager-client.ts';

/** Everything a handler needs, built once per Lambda instance. */
export interface Runtime {
  readonly config: SecretUpdaterConfig;
  readonly pipeline: UpdatePipeline;
}

/** What a test or a benchmark may put in place of the defaults. */
export interface RuntimeOverrides {
  readonly now?: () => Date;
  readonly secretsManagerClient?: SecretsManagerClient;
  readonly dynamoDbClient?: DynamoDBClient;
}

/** Wires the pipeline to real AWS clients (their endpoint comes from AWS_ENDPOINT_URL when set). */
export function createRuntime(config: SecretUpdaterConfig, overrides: RuntimeOverrides = {}): Runtime {
  const pipeline = createUpdatePipeline({
    secretWriter: createSecretWriter(overrides.secretsManagerClient ?? createSecretsManagerClient()),
    idempotentWriter: createIdempotentWriter({
      tableName: config.idempotencyTableName,
      expiresAfterSeconds: config.idempotencyExpiresAfterSeconds,
      dynamoDbClient:
        overrides.dynamoDbClient ?? new DynamoDBClient({ requestHandler: AWS_REQUEST_TIMEOUTS }),
    }),
    allowlists: {
      secretIds: compileAllowlist(config.allowedSecretIds),
      kmsKeyIds: compileAllowlist(config.allowedKmsKeyIds),
    },
    maxRequestAgeSeconds: config.maxRequestAgeSeconds,
    now: overrides.now ?? (() => new Date()),
  });
  return { config, pipeline };
}

let defaultRuntime: Runtime | undefined;

/** The runtime configured from the environment, created on first use (at init, from a handler's module scope). */
export function runtimeFromEnvironment(): Runtime {
  defaultRuntime ??= createRuntime(readConfig(process.env));
  return defaultRuntime;
}
