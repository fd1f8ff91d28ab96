import { randomUUID } from 'node:crypto';
import { CreateSecretCommand, DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it, vi } from 'vitest';
import { readConfig } from '../../functions/commons/config.ts';
import { idempotencyRecordKey } from '../../functions/commons/idempotency/idempotent-write.ts';
import { ANSWER_RESERVE_MILLISECONDS } from '../../functions/commons/pipeline/deadline.ts';
import { deriveClientRequestToken } from '../../functions/commons/request/identity.ts';
import { createRuntime } from '../../functions/commons/runtime.ts';
import { createSecretsManagerClient } from '../../functions/commons/secrets/secrets-manager-client.ts';
import { createEventBridgeHandler } from '../../functions/eventbridge.ts';
import { fakeLambdaContext } from '../../infra/local/lambda-context.ts';
import { dynamoDbFailingOn } from '../support/faulty-clients.ts';
import {
  createTestSecret,
  currentSecretValue,
  idempotencyItems,
  listVersions,
  secretsManager,
} from '../support/local-aws.ts';
import { eventBridgeEvent } from '../support/sample-events.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

const context = () => fakeLambdaContext('secret-updater-eventbridge');

describe('idempotent update', () => {
  it('creates one version when duplicates of one event arrive at the same time', async () => {
    // Prepare
    const secret = await createTestSecret('concurrent-duplicates');
    const runtime = createTestRuntime();
    const event = eventBridgeEvent({ secretId: secret.name, secretString: 'value-delivered-five-times' });

    // Act
    const settled = await Promise.allSettled(
      Array.from({ length: 5 }, () => runtime.eventbridge(structuredClone(event), context())),
    );

    // Assess: one applied it; the others replayed it or were told to retry while it was in progress
    const applied = settled.filter(
      (result) => result.status === 'fulfilled' && result.value.outcome === 'updated',
    );
    expect(applied).toHaveLength(1);
    for (const result of settled) {
      if (result.status === 'rejected') {
        expect(result.reason).toMatchObject({ name: 'SecretUpdateRetryableError', retryable: true });
      } else {
        expect(['updated', 'replayed']).toContain(result.value.outcome);
      }
    }
    expect(await listVersions(secret.name)).toHaveLength(2);
  });

  it('redelivers an update whose invocation died after UpdateSecret without a second version', async () => {
    // Prepare: the first invocation applies UpdateSecret, then cannot complete its idempotency record (as if
    // it crashed), leaving an INPROGRESS record whose in-progress expiry is the invocation's deadline.
    const secret = await createTestSecret('crash-redelivery');
    const event = eventBridgeEvent({ secretId: secret.name, secretString: 'value-applied-before-crash' });
    const crashingDynamoDb = dynamoDbFailingOn('UpdateItemCommand');
    const crashing = createRuntime(readConfig(process.env), { dynamoDbClient: crashingDynamoDb });
    // The deadline leaves room for UpdateSecret beyond the time the pipeline keeps back to answer.
    const crashDeadlineMilliseconds = ANSWER_RESERVE_MILLISECONDS + 3_000;
    const crashed = await createEventBridgeHandler(crashing.pipeline)(
      structuredClone(event),
      fakeLambdaContext('secret-updater-eventbridge', crashDeadlineMilliseconds),
    ).catch((error: unknown) => error);
    const versionsAfterCrash = await listVersions(secret.name);
    const recordKey = idempotencyRecordKey({ secretId: secret.name, idempotencyKey: event.id });
    const leftBehind = (await idempotencyItems()).find((item) => item.id === recordKey);

    // Act: redelivered after the dead invocation's deadline (the clock moves on; nothing sleeps)
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + crashDeadlineMilliseconds + 1_000);
    const redelivered = await createTestRuntime()
      .eventbridge(structuredClone(event), context())
      .finally(() => vi.useRealTimers());

    // Assess
    expect(crashed).toMatchObject({ name: 'SecretUpdateRetryableError' });
    expect(versionsAfterCrash).toHaveLength(2);
    expect(leftBehind).toMatchObject({ status: 'INPROGRESS' });
    expect(redelivered.outcome).toBe('updated');
    expect(await listVersions(secret.name)).toEqual(versionsAfterCrash);
    expect(await currentSecretValue(secret.name)).toMatchObject({
      secretString: 'value-applied-before-crash',
    });
  });

  it('refuses a clientRequestToken reused with another value as a conflict', async () => {
    // Prepare
    const secret = await createTestSecret('token-reuse');
    const runtime = createTestRuntime();
    const clientRequestToken = `reused-token-${randomUUID()}`;
    const first = await runtime.eventbridge(
      eventBridgeEvent({ secretId: secret.name, secretString: 'value-one-token-reuse', clientRequestToken }),
      context(),
    );

    // Act: another event (another idempotency key), same token, another value
    const attempt = await runtime
      .eventbridge(
        eventBridgeEvent({
          secretId: secret.name,
          secretString: 'value-two-token-reuse',
          clientRequestToken,
        }),
        context(),
      )
      .catch((error: unknown) => error);

    // Assess
    expect(first).toMatchObject({ outcome: 'updated', versionId: clientRequestToken, clientRequestToken });
    expect(attempt).toMatchObject({ name: 'SecretUpdateConflictError', retryable: false });
    expect(await currentSecretValue(secret.name)).toMatchObject({ secretString: 'value-one-token-reuse' });
    expect(await listVersions(secret.name)).toHaveLength(2);
  });

  it('does not move AWSCURRENT back when an older update is redelivered late', async () => {
    // Prepare
    const secret = await createTestSecret('late-redelivery');
    const runtime = createTestRuntime();
    const older = eventBridgeEvent({ secretId: secret.name, secretString: 'older-value-late-test' });
    const newer = eventBridgeEvent({ secretId: secret.name, secretString: 'newer-value-late-test' });
    await runtime.eventbridge(structuredClone(older), context());
    const newest = await runtime.eventbridge(structuredClone(newer), context());

    // Act
    const late = await runtime.eventbridge(structuredClone(older), context());

    // Assess
    expect(late.outcome).toBe('replayed');
    expect(await currentSecretValue(secret.name)).toMatchObject({
      versionId: newest.versionId,
      secretString: 'newer-value-late-test',
    });
  });

  it('never writes to a secret deleted and created again under the same name when a duplicate arrives', async () => {
    // Prepare
    const secret = await createTestSecret('recreated', 'value-before-everything');
    const runtime = createTestRuntime();
    const event = eventBridgeEvent({ secretId: secret.name, secretString: 'value-of-the-first-secret' });
    await runtime.eventbridge(structuredClone(event), context());
    await secretsManager().send(
      new DeleteSecretCommand({ SecretId: secret.name, ForceDeleteWithoutRecovery: true }),
    );
    await secretsManager().send(
      new CreateSecretCommand({ Name: secret.name, SecretString: 'value-of-the-new-secret' }),
    );

    // Act
    const duplicate = await runtime
      .eventbridge(structuredClone(event), context())
      .catch((error: unknown) => error);

    // Assess: the record's secret is gone; the new secret keeps its own value and its one version
    expect(duplicate).toMatchObject({ name: 'SecretNotFoundError' });
    expect(await currentSecretValue(secret.name)).toMatchObject({ secretString: 'value-of-the-new-secret' });
    expect(await listVersions(secret.name)).toHaveLength(1);
  });

  it('names the idempotencyKey when an earlier attempt of it wrote another value and then failed', async () => {
    // Prepare: the first attempt's UpdateSecret lands, but its response is lost
    const secret = await createTestSecret('lost-response');
    const event = eventBridgeEvent({ secretId: secret.name, secretString: 'value-whose-response-was-lost' });
    const losingResponses = createSecretsManagerClient();
    losingResponses.middlewareStack.add(
      (next) => async (args) => {
        await next(args);
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      },
      { step: 'deserialize' },
    );
    const lost = createRuntime(readConfig(process.env), { secretsManagerClient: losingResponses });
    await createEventBridgeHandler(lost.pipeline)(structuredClone(event), context()).catch(() => undefined);

    // Act
    const attempt = await createTestRuntime()
      .eventbridge(
        { ...event, detail: { secretId: secret.name, secretString: 'another-value-same-key' } },
        context(),
      )
      .catch((error: unknown) => error);

    // Assess
    expect(attempt).toMatchObject({
      name: 'SecretUpdateConflictError',
      message: 'the idempotencyKey was already used for an update of this secret with a different value',
    });
  });

  it('keys records and tokens by identity only, never by the value', async () => {
    // Prepare
    const secret = await createTestSecret('identity-keys');
    const runtime = createTestRuntime();
    const event = eventBridgeEvent({ secretId: secret.name, secretString: 'value-for-identity-keys' });

    // Act
    const result = await runtime.eventbridge(structuredClone(event), context());

    // Assess
    const identity = { secretId: secret.name, idempotencyKey: event.id };
    expect(result.clientRequestToken).toBe(deriveClientRequestToken(identity));
    const record = (await idempotencyItems()).find((item) => item.id === idempotencyRecordKey(identity));
    expect(record).toMatchObject({ status: 'COMPLETED' });
    expect(record?.data).toEqual({
      secretArn: secret.arn,
      secretName: secret.name,
      versionId: result.versionId,
    });
  });

  it('answers a duplicate with one failed conditional write and one confirming UpdateSecret', async () => {
    // Prepare
    const secret = await createTestSecret('duplicate-calls');
    const event = eventBridgeEvent({ secretId: secret.name, secretString: 'value-counted-calls' });
    const first = createTestRuntime();
    await first.eventbridge(structuredClone(event), context());
    const duplicate = createTestRuntime();

    // Act
    await duplicate.eventbridge(structuredClone(event), context());

    // Assess
    expect(Object.fromEntries(first.calls.dynamoDb)).toEqual({ PutItemCommand: 1, UpdateItemCommand: 1 });
    expect(Object.fromEntries(first.calls.secretsManager)).toEqual({ UpdateSecretCommand: 1 });
    expect(Object.fromEntries(duplicate.calls.dynamoDb)).toEqual({ PutItemCommand: 1 });
    expect(Object.fromEntries(duplicate.calls.secretsManager)).toEqual({ UpdateSecretCommand: 1 });
  });
});
