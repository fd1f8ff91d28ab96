import { createHash } from 'node:crypto';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { detachedCause } from '../error-cause.ts';
import { SecretUpdateConflictError, SecretUpdateError, SecretUpdateRetryableError } from '../errors.ts';
import type { UpdateIdentity } from '../request/identity.ts';
import { safeName } from '../secrets/classify-secrets-manager-error.ts';
import type { ValueKind } from '../secrets/secret-value.ts';
import type { SecretWriteOutcome } from '../secrets/secret-writer.ts';
import { boundByDeliveryDeadline } from './deadline-bound-client.ts';

/**
 * Prefix of every idempotency record key. Fixed (not the function name) so that the three functions, and a
 * renamed or redeployed function, share one identity space. Public and permanent.
 */
export const IDEMPOTENCY_KEY_PREFIX = 'secret-updater';

/**
 * The `id` of an identity's record in the idempotency table, as Powertools computes it from our settings:
 * `secret-updater#` + base64(SHA-256 of `{"idempotencyKey":...,"secretId":...}`). Public and permanent:
 * operators look records up with it, and tests pin it to what Powertools really writes.
 */
export function idempotencyRecordKey(identity: UpdateIdentity): string {
  const selection = JSON.stringify({ idempotencyKey: identity.idempotencyKey, secretId: identity.secretId });
  return `${IDEMPOTENCY_KEY_PREFIX}#${createHash('sha256').update(selection).digest('base64')}`;
}

/** What Powertools sees of an update: only non-secret fields, so no key or stored hash depends on the value. */
export interface IdempotentWorkItem {
  /** Hashed into the record key (`id`). */
  readonly identity: UpdateIdentity;
  /**
   * Hashed into the record's `validation` attribute: a duplicate whose fingerprint differs is a conflict.
   * The value itself is compared by Secrets Manager (see SecretWriter.confirmValue).
   */
  readonly fingerprint: {
    readonly clientRequestToken: string;
    readonly valueKind: ValueKind;
    readonly description?: string;
    readonly kmsKeyId?: string;
  };
}

/** The result of an idempotent write: the stored outcome, and whether it was replayed from the record. */
export interface IdempotentWriteResult {
  readonly outcome: SecretWriteOutcome;
  readonly replayed: boolean;
}

export interface IdempotencyStoreSettings {
  readonly tableName: string;
  readonly expiresAfterSeconds: number;
  readonly dynamoDbClient: DynamoDBClient;
}

export interface IdempotentWriter {
  /**
   * Runs `write` at most once per identity within the expiry; a duplicate gets the stored outcome.
   * Throws SecretUpdateErrors only.
   */
  readonly run: (
    workItem: IdempotentWorkItem,
    write: () => Promise<SecretWriteOutcome>,
    lambdaContext: Context | undefined,
  ) => Promise<IdempotentWriteResult>;
}

interface Execution {
  readonly write: () => Promise<SecretWriteOutcome>;
  ran: boolean;
}

/** Builds the Powertools idempotency wrapper once, at init. */
export function createIdempotentWriter(settings: IdempotencyStoreSettings): IdempotentWriter {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: settings.tableName,
    awsSdkV3Client: boundByDeliveryDeadline(settings.dynamoDbClient),
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'identity',
    payloadValidationJmesPath: 'fingerprint',
    // A request without identity must never run unprotected.
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: settings.expiresAfterSeconds,
    hashFunction: 'sha256',
  });
  const idempotentWrite = makeIdempotent(
    async (_workItem: IdempotentWorkItem, execution: Execution): Promise<SecretWriteOutcome> => {
      execution.ran = true;
      return execution.write();
    },
    { persistenceStore, config, keyPrefix: IDEMPOTENCY_KEY_PREFIX, dataIndexArgument: 0 },
  );

  return {
    run: async (workItem, write, lambdaContext) => {
      // With the context registered, an in-progress record expires at the invocation's deadline, so a
      // crashed invocation's retry can take over (the deterministic token keeps that harmless). Registered
      // on every call, even as undefined, so that no call ever runs with an earlier invocation's deadline.
      config.registerLambdaContext(lambdaContext as Context);
      const execution: Execution = { write, ran: false };
      try {
        const outcome = await idempotentWrite(workItem, execution);
        return { outcome, replayed: !execution.ran };
      } catch (failure) {
        throw classifyIdempotencyError(failure);
      }
    },
  };
}

/** Maps Powertools idempotency errors to the product's; the write's own errors pass through. */
export function classifyIdempotencyError(failure: unknown): SecretUpdateError {
  if (failure instanceof SecretUpdateError) return failure;
  const name = failure instanceof Error ? failure.name : '';
  const options = { cause: detachedCause(failure) };
  switch (name) {
    case 'IdempotencyAlreadyInProgressError':
      return new SecretUpdateRetryableError(
        'an earlier delivery of this update is still in progress',
        options,
      );
    case 'IdempotencyValidationError':
      return new SecretUpdateConflictError(
        'the idempotencyKey was already used for a different update of this secret',
        options,
      );
    case 'IdempotencyPersistenceLayerError':
      // Named after what DynamoDB (or the SDK before it) threw, so that a throttled table, a missing one and
      // missing credentials read differently in the log.
      return new SecretUpdateRetryableError(
        `the idempotency store (DynamoDB) failed (${underlyingName(failure)})`,
        options,
      );
    case 'IdempotencyInconsistentStateError':
      return new SecretUpdateRetryableError('the idempotency record changed while it was read', options);
    default:
      return new SecretUpdateRetryableError(`the idempotent update failed unexpectedly (${safeName(name)})`, {
        cause: failure, // the error keeps it out of `cause` and detaches it for the log
        unexpected: true,
      });
  }
}

/** The name of the error a Powertools persistence error wraps (its cause), as shown in a message. */
const underlyingName = (failure: unknown): string =>
  failure instanceof Error && failure.cause instanceof Error ? safeName(failure.cause.name) : 'unnamed error';
