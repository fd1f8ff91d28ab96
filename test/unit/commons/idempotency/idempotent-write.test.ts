import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyInconsistentStateError,
  IdempotencyPersistenceLayerError,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SecretNotFoundError,
  SecretUpdateConflictError,
  SecretUpdateRetryableError,
  SecretUpdateValidationError,
} from '../../../../functions/commons/errors.ts';
import {
  classifyIdempotencyError,
  IDEMPOTENCY_KEY_PREFIX,
  idempotencyRecordKey,
} from '../../../../functions/commons/idempotency/idempotent-write.ts';
import type { UpdateIdentity } from '../../../../functions/commons/request/identity.ts';
import { expectDetachedCopyOf } from '../../support/detached-cause.ts';

/** Powertools' own key computation, configured as createIdempotentWriter configures it; stores nothing. */
class KeyOnlyPersistenceLayer extends BasePersistenceLayer {
  constructor() {
    super();
    this.configure({
      config: new IdempotencyConfig({
        eventKeyJmesPath: 'identity',
        payloadValidationJmesPath: 'fingerprint',
        throwOnNoIdempotencyKey: true,
        hashFunction: 'sha256',
      }),
      keyPrefix: IDEMPOTENCY_KEY_PREFIX,
    });
  }

  keyOf(identity: UpdateIdentity): string {
    return this.getHashedIdempotencyKey({ identity: { ...identity } });
  }

  protected override _deleteRecord(): Promise<void> {
    throw new Error('not used');
  }
  protected override _getRecord(): never {
    throw new Error('not used');
  }
  protected override _putRecord(): Promise<void> {
    throw new Error('not used');
  }
  protected override _updateRecord(): Promise<void> {
    throw new Error('not used');
  }
}

describe('idempotencyRecordKey', () => {
  // Public and permanent: operators look records up with these keys (the README lists the same vectors).
  it.each([
    [
      { secretId: 'prod/db', idempotencyKey: 'evt-1' },
      'secret-updater#j7A8AVzIvtLGdrQZTTJkTJCOgbqkr79ZFCJ69xTXqus=',
    ],
    [
      {
        secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf',
        idempotencyKey: 'evt-1',
      },
      'secret-updater#ZhWwO1/Qp5gHVOkST/3Y0Kd/L1T4xgBsbktFXOQSG3A=',
    ],
  ])('computes the pinned key of %o', (identity, expected) => {
    // Act
    const key = idempotencyRecordKey(identity);

    // Assess
    expect(key).toBe(expected);
  });

  it('starts every key with the fixed secret-updater# prefix', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (secretId, idempotencyKey) => {
        expect(idempotencyRecordKey({ secretId, idempotencyKey })).toMatch(
          /^secret-updater#[A-Za-z0-9+/]{43}=$/,
        );
      }),
    );
  });

  it('equals the key Powertools computes for the same identity', () => {
    // Prepare
    const powertools = new KeyOnlyPersistenceLayer();

    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'grapheme', minLength: 1 }),
        (secretId, idempotencyKey) => {
          // Act
          const key = idempotencyRecordKey({ secretId, idempotencyKey });

          // Assess
          expect(key).toBe(powertools.keyOf({ secretId, idempotencyKey }));
        },
      ),
    );
  });
});

describe('classifyIdempotencyError', () => {
  it('maps an update already in progress to a retryable error', () => {
    // Prepare
    const failure = new IdempotencyAlreadyInProgressError('There is already an execution in progress');

    // Act
    const classified = classifyIdempotencyError(failure);

    // Assess
    expect(classified).toBeInstanceOf(SecretUpdateRetryableError);
    expect(classified).toMatchObject({
      name: 'SecretUpdateRetryableError',
      retryable: true,
      unexpected: false,
    });
    expectDetachedCopyOf(classified.cause, failure);
  });

  it('maps a payload that differs from the stored record to a conflict', () => {
    // Prepare
    const failure = new IdempotencyValidationError('Payload does not match stored record');

    // Act
    const classified = classifyIdempotencyError(failure);

    // Assess
    expect(classified).toBeInstanceOf(SecretUpdateConflictError);
    expect(classified).toMatchObject({ name: 'SecretUpdateConflictError', retryable: false });
    expectDetachedCopyOf(classified.cause, failure);
  });

  it('maps a failure of the idempotency store to a retryable error', () => {
    // Prepare
    const failure = new IdempotencyPersistenceLayerError('Failed to save in progress record', {
      cause: new Error('DynamoDB unavailable'),
    });

    // Act
    const classified = classifyIdempotencyError(failure);

    // Assess
    expect(classified).toBeInstanceOf(SecretUpdateRetryableError);
    expect(classified).toMatchObject({ retryable: true, unexpected: false });
    expectDetachedCopyOf(classified.cause, failure);
  });

  it('names what the idempotency store failed with, so missing credentials read as such', () => {
    // Prepare: what the SDK throws when no credential provider finds credentials
    const missingCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    const failure = new IdempotencyPersistenceLayerError('Failed to save in progress record', {
      cause: missingCredentials,
    });

    // Act
    const classified = classifyIdempotencyError(failure);

    // Assess
    expect(classified.message).toBe('the idempotency store (DynamoDB) failed (CredentialsProviderError)');
  });

  it('maps an inconsistent record state to a retryable error', () => {
    // Act
    const classified = classifyIdempotencyError(new IdempotencyInconsistentStateError('changed'));

    // Assess
    expect(classified).toBeInstanceOf(SecretUpdateRetryableError);
    expect(classified).toMatchObject({ retryable: true, unexpected: false });
  });

  it('maps an unknown error to a retryable error marked unexpected, keeping it out of message and cause', () => {
    // Prepare
    const failure = new TypeError('cannot read secretString of CANARY-request-data');

    // Act
    const classified = classifyIdempotencyError(failure);

    // Assess
    expect(classified).toBeInstanceOf(SecretUpdateRetryableError);
    expect(classified).toMatchObject({ retryable: true, unexpected: true });
    expect(classified.message).toContain('TypeError');
    expect(classified.message).not.toContain('CANARY');
    expect(classified.cause).toBeUndefined();
    expectDetachedCopyOf((classified as SecretUpdateRetryableError).unrecognisedFailure(), failure);
  });

  it('maps a thrown non-Error to a retryable error marked unexpected', () => {
    // Act
    const classified = classifyIdempotencyError('a string was thrown');

    // Assess
    expect(classified).toBeInstanceOf(SecretUpdateRetryableError);
    expect(classified).toMatchObject({ retryable: true, unexpected: true });
    expect(classified.message).not.toContain('a string was thrown');
  });

  it.each([
    new SecretNotFoundError('Secrets Manager cannot find the secret'),
    new SecretUpdateValidationError('secretId is required'),
    new SecretUpdateRetryableError('throttled', { unexpected: true }),
  ])('passes a $name from the write through unchanged', (failure) => {
    // Act
    const classified = classifyIdempotencyError(failure);

    // Assess
    expect(classified).toBe(failure);
  });
});
