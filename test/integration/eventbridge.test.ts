import { DeleteSecretCommand, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { SecretUpdateConflictError } from '../../functions/commons/errors.ts';
import { fakeLambdaContext } from '../../infra/local/lambda-context.ts';
import { createTestSecret, currentSecretValue, listVersions, secretsManager } from '../support/local-aws.ts';
import { eventBridgeEvent } from '../support/sample-events.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

const context = () => fakeLambdaContext('secret-updater-eventbridge');

describe('eventbridge handler', () => {
  it('applies an update and answers two more deliveries of the same event from the record', async () => {
    // Prepare
    const secret = await createTestSecret('eventbridge-replay');
    const runtime = createTestRuntime();
    const event = eventBridgeEvent({ secretId: secret.name, secretString: 'new-value-for-replay-test' });

    // Act
    const first = await runtime.eventbridge(structuredClone(event), context());
    const second = await runtime.eventbridge(structuredClone(event), context());
    const third = await runtime.eventbridge(structuredClone(event), context());

    // Assess
    expect(first.outcome).toBe('updated');
    expect([second.outcome, third.outcome]).toEqual(['replayed', 'replayed']);
    expect(second.versionId).toBe(first.versionId);
    expect(third.versionId).toBe(first.versionId);
    const versions = await listVersions(secret.name);
    expect(versions).toHaveLength(2);
    const current = await currentSecretValue(secret.name);
    expect(current).toMatchObject({ versionId: first.versionId, secretString: 'new-value-for-replay-test' });
  });

  it('refuses the same event id with a different value as a conflict and changes nothing', async () => {
    // Prepare
    const secret = await createTestSecret('eventbridge-conflict');
    const runtime = createTestRuntime();
    const event = eventBridgeEvent({ secretId: secret.name, secretString: 'first-value-conflict-test' });
    const applied = await runtime.eventbridge(structuredClone(event), context());

    // Act
    const conflicting = {
      ...event,
      detail: { secretId: secret.name, secretString: 'other-value-conflict-test' },
    };
    const attempt = runtime.eventbridge(conflicting, context());

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(SecretUpdateConflictError);
    expect(await currentSecretValue(secret.name)).toMatchObject({
      versionId: applied.versionId,
      secretString: 'first-value-conflict-test',
    });
    expect(await listVersions(secret.name)).toHaveLength(2);
  });
});

describe('eventbridge handler, request forms', () => {
  it('updates description only without creating a version', async () => {
    // Prepare
    const secret = await createTestSecret('eventbridge-metadata');
    const runtime = createTestRuntime();
    const before = await listVersions(secret.name);

    // Act
    const result = await runtime.eventbridge(
      eventBridgeEvent({ secretId: secret.name, description: 'rotated by secret-updater' }, 'metadata-only'),
      context(),
    );

    // Assess
    expect(result.outcome).toBe('metadata-updated');
    expect(result).not.toHaveProperty('versionId');
    expect(result).not.toHaveProperty('clientRequestToken');
    expect(await listVersions(secret.name)).toEqual(before);
    const described = await secretsManager().send(new DescribeSecretCommand({ SecretId: secret.name }));
    expect(described.Description).toBe('rotated by secret-updater');
  });

  it('addresses a secret by full ARN and by partial ARN', async () => {
    // Prepare
    const secret = await createTestSecret('eventbridge-arn');
    const partialArn = secret.arn.replace(/-[A-Za-z0-9]{6}$/, '');
    const runtime = createTestRuntime();

    // Act
    const byFullArn = await runtime.eventbridge(
      eventBridgeEvent({ secretId: secret.arn, secretString: 'value-by-full-arn-0001' }),
      context(),
    );
    const byPartialArn = await runtime.eventbridge(
      eventBridgeEvent({ secretId: partialArn, secretString: 'value-by-partial-arn-0002' }),
      context(),
    );

    // Assess
    expect(partialArn).not.toBe(secret.arn);
    expect(byFullArn).toMatchObject({ outcome: 'updated', secretArn: secret.arn, secretName: secret.name });
    expect(byPartialArn).toMatchObject({
      outcome: 'updated',
      secretArn: secret.arn,
      secretName: secret.name,
    });
    expect(await currentSecretValue(secret.name)).toMatchObject({
      secretString: 'value-by-partial-arn-0002',
    });
  });

  it('round-trips a binary value byte for byte', async () => {
    // Prepare
    const secret = await createTestSecret('eventbridge-binary');
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
    const runtime = createTestRuntime();

    // Act
    const result = await runtime.eventbridge(
      eventBridgeEvent({ secretId: secret.name, secretBinary: bytes.toString('base64') }),
      context(),
    );

    // Assess
    expect(result.outcome).toBe('updated');
    const current = await currentSecretValue(secret.name);
    expect(current.versionId).toBe(result.versionId);
    expect(Buffer.from(current.secretBinary ?? new Uint8Array())).toEqual(bytes);
  });

  it('accepts exactly 65,536 bytes of multi-byte text and rejects one byte more before any call', async () => {
    // Prepare: '€' is 3 bytes in UTF-8, so character counts would get both cases wrong
    const secret = await createTestSecret('eventbridge-size');
    const atLimit = `${'€'.repeat(21_845)}a`;
    const overLimit = `${atLimit}b`;
    const accepting = createTestRuntime();
    const refusing = createTestRuntime();

    // Act
    const accepted = await accepting.eventbridge(
      eventBridgeEvent({ secretId: secret.name, secretString: atLimit }),
      context(),
    );
    const refused = await refusing
      .eventbridge(eventBridgeEvent({ secretId: secret.name, secretString: overLimit }), context())
      .catch((error: unknown) => error);

    // Assess
    expect(Buffer.byteLength(atLimit)).toBe(65_536);
    expect(accepted.outcome).toBe('updated');
    expect((await currentSecretValue(secret.name)).secretString).toBe(atLimit);
    expect(refused).toMatchObject({
      name: 'SecretUpdateValidationError',
      message: 'secretString must be at most 65,536 bytes in UTF-8',
    });
    expect(refusing.totalAwsCalls()).toBe(0);
  });

  it('reports a secret that does not exist as SecretNotFoundError', async () => {
    // Prepare
    const runtime = createTestRuntime();
    const event = eventBridgeEvent({
      secretId: 'test/never-created/secret',
      secretString: 'value-for-missing-secret',
    });

    // Act
    const attempt = runtime.eventbridge(event, context());

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'SecretNotFoundError', retryable: false });
  });

  it('reports a secret marked for deletion as SecretUpdateRejectedError, not to be retried', async () => {
    // Prepare
    const secret = await createTestSecret('eventbridge-deleted');
    await secretsManager().send(new DeleteSecretCommand({ SecretId: secret.name, RecoveryWindowInDays: 7 }));
    const runtime = createTestRuntime();

    // Act
    const attempt = runtime.eventbridge(
      eventBridgeEvent({ secretId: secret.name, secretString: 'value-for-deleted-secret' }),
      context(),
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'SecretUpdateRejectedError', retryable: false });
  });

  it('throws every failure (no failure is returned), so async retries and the on-failure destination apply', async () => {
    // Prepare
    const runtime = createTestRuntime();
    const withoutDetail: Record<string, unknown> = { ...eventBridgeEvent({}) };
    delete withoutDetail.detail;

    // Act
    const attempt = runtime.eventbridge(withoutDetail, context());

    // Assess
    await expect(attempt).rejects.toMatchObject({
      name: 'SecretUpdateValidationError',
      message: 'the EventBridge event has no detail: the request goes in detail',
    });
    expect(runtime.totalAwsCalls()).toBe(0);
  });
});

describe('eventbridge handler, envelope checks', () => {
  it.each([
    ['a time more than 5 minutes ahead', { time: new Date(Date.now() + 301_000).toISOString() }],
    ['a time that is not ISO 8601', { time: 'Thu, 03 Dec 2026 19:00:00 GMT' }],
    ['a day that does not exist', { time: '2026-02-30T10:00:00Z' }],
    ['the hour 24', { time: '2026-12-03T24:00:00Z' }],
    ['an id with a line break (it would be the idempotencyKey)', { id: 'has space\nnewline' }],
    ['an id of 5,000 characters', { id: 'i'.repeat(5_000) }],
  ])('refuses an event with %s, before any call', async (_label, override) => {
    // Prepare
    const secret = await createTestSecret('eventbridge-envelope');
    const runtime = createTestRuntime();
    const event = {
      ...eventBridgeEvent({ secretId: secret.name, secretString: 'never-applied-value' }),
      ...override,
    };

    // Act
    const attempt = await runtime.eventbridge(event, context()).catch((error: unknown) => error);

    // Assess
    expect(attempt).toMatchObject({ name: 'SecretUpdateValidationError' });
    expect(runtime.totalAwsCalls()).toBe(0);
  });

  it('names the idempotencyKey, not the token, when one event id comes with another value', async () => {
    // Prepare
    const secret = await createTestSecret('eventbridge-conflict-message');
    const runtime = createTestRuntime();
    const event = eventBridgeEvent({ secretId: secret.name, secretString: 'first-value-message-test' });
    await runtime.eventbridge(structuredClone(event), context());

    // Act
    const attempt = await runtime
      .eventbridge(
        { ...event, detail: { secretId: secret.name, secretString: 'second-value-message' } },
        context(),
      )
      .catch((error: unknown) => error);

    // Assess
    expect(attempt).toMatchObject({
      name: 'SecretUpdateConflictError',
      message: 'the idempotencyKey was already used for an update of this secret with a different value',
    });
  });
});

describe('eventbridge handler, policy checks', () => {
  it('refuses a request older than MAX_REQUEST_AGE_SECONDS without any AWS call', async () => {
    // Prepare
    const secret = await createTestSecret('eventbridge-stale');
    const runtime = createTestRuntime({ environment: { MAX_REQUEST_AGE_SECONDS: '300' } });
    const event = eventBridgeEvent({ secretId: secret.name, secretString: 'stale-value-never-applied' });
    event.time = new Date(Date.now() - 301_000).toISOString();

    // Act
    const attempt = runtime.eventbridge(event, context());

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'SecretUpdateStaleError', retryable: false });
    expect(runtime.totalAwsCalls()).toBe(0);
    expect(await listVersions(secret.name)).toHaveLength(1);
  });

  it('refuses a secret outside ALLOWED_SECRET_IDS without any AWS call', async () => {
    // Prepare
    const secret = await createTestSecret('eventbridge-forbidden');
    const runtime = createTestRuntime({
      environment: { ALLOWED_SECRET_IDS: 'prod/*, arn:aws:secretsmanager:*:secret:prod/*' },
    });

    // Act
    const attempt = runtime.eventbridge(
      eventBridgeEvent({ secretId: secret.name, secretString: 'forbidden-value-never-applied' }),
      context(),
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'SecretUpdateForbiddenError', retryable: false });
    expect(runtime.totalAwsCalls()).toBe(0);
    expect(await listVersions(secret.name)).toHaveLength(1);
  });

  it('refuses a KMS key outside ALLOWED_KMS_KEY_IDS without any AWS call', async () => {
    // Prepare
    const secret = await createTestSecret('eventbridge-kms');
    const runtime = createTestRuntime({ environment: { ALLOWED_KMS_KEY_IDS: 'alias/secret-updater' } });

    // Act
    const attempt = runtime.eventbridge(
      eventBridgeEvent({ secretId: secret.name, kmsKeyId: 'alias/someone-elses-key' }),
      context(),
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'SecretUpdateForbiddenError' });
    expect(runtime.totalAwsCalls()).toBe(0);
  });
});
