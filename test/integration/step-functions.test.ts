import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fakeLambdaContext } from '../../infra/local/lambda-context.ts';
import { loadEvent } from '../../infra/local/sample-events.ts';
import { createTestSecret, currentSecretValue, listVersions } from '../support/local-aws.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

const context = () => fakeLambdaContext('secret-updater-step-functions');
const sampleInput = () => loadEvent<Record<string, unknown>>('step-functions/update-secret.json');

describe('step-functions handler', () => {
  it('returns the result of the update, without the value', async () => {
    // Prepare
    const secret = await createTestSecret('sfn-result');
    const runtime = createTestRuntime();
    const idempotencyKey = `arn:aws:states:us-east-1:123456789012:execution:rotate:${randomUUID()}/UpdateSecret`;
    const input = { ...sampleInput(), secretId: secret.name, idempotencyKey };

    // Act
    const result = await runtime.stepFunctions(input, context());

    // Assess
    expect(result).toEqual({
      outcome: 'updated',
      secretArn: secret.arn,
      secretName: secret.name,
      versionId: result.versionId,
      clientRequestToken: result.versionId,
      idempotencyKey,
    });
    expect(await currentSecretValue(secret.name)).toMatchObject({ versionId: result.versionId });
    expect(JSON.stringify(result)).not.toContain('sample-fake-password');
  });

  it('throws SecretUpdateValidationError for input without idempotencyKey, before any call', async () => {
    // Prepare
    const secret = await createTestSecret('sfn-no-key');
    const runtime = createTestRuntime();
    const input: Record<string, unknown> = { ...sampleInput(), secretId: secret.name };
    delete input.idempotencyKey;

    // Act
    const attempt = await runtime.stepFunctions(input, context()).catch((error: unknown) => error);

    // Assess
    expect(attempt).toMatchObject({
      name: 'SecretUpdateValidationError',
      retryable: false,
      message: 'idempotencyKey is required: this trigger has no delivery id to default to',
    });
    expect(runtime.totalAwsCalls()).toBe(0);
    expect(await listVersions(secret.name)).toHaveLength(1);
  });

  it('replays a retried task with the same idempotencyKey', async () => {
    // Prepare
    const secret = await createTestSecret('sfn-retry');
    const runtime = createTestRuntime();
    const input = {
      ...sampleInput(),
      secretId: secret.name,
      idempotencyKey: `execution-${randomUUID()}/Update`,
    };

    // Act
    const first = await runtime.stepFunctions(structuredClone(input), context());
    const retried = await runtime.stepFunctions(structuredClone(input), context());

    // Assess
    expect(retried).toEqual({ ...first, outcome: 'replayed' });
    expect(await listVersions(secret.name)).toHaveLength(2);
  });

  it('throws errors whose name and retryable flag a state machine can Retry or Catch on', async () => {
    // Prepare
    const runtime = createTestRuntime();
    const input = {
      secretId: 'test/no-such-secret',
      secretString: 'value-for-missing',
      idempotencyKey: randomUUID(),
    };

    // Act
    const attempt = await runtime.stepFunctions(input, context()).catch((error: unknown) => error);

    // Assess
    expect(attempt).toBeInstanceOf(Error);
    expect(attempt).toMatchObject({ name: 'SecretNotFoundError', retryable: false });
  });
});
