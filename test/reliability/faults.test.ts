import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeLambdaContext } from '../../infra/local/lambda-context.ts';
import { FaultProxy, faults } from '../support/fault-proxy.ts';
import { createTestSecret, currentSecretValue, listVersions } from '../support/local-aws.ts';
import { eventBridgeEvent, sqsEventOf } from '../support/sample-events.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

const context = () => fakeLambdaContext('secret-updater-faults', 20_000);

/** The handlers behind a fault proxy on loopback, between them and the local stack. */
describe('faults between the functions and AWS', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await FaultProxy.start(process.env.AWS_ENDPOINT_URL ?? '');
  });
  afterEach(() => {
    proxy.clear();
    vi.useRealTimers();
  });
  afterAll(async () => {
    await proxy.stop();
  });

  const deliver = async (label: string) => {
    const secret = await createTestSecret(label);
    const event = eventBridgeEvent({ secretId: secret.name, secretString: `value-${label}` });
    const runtime = createTestRuntime({ endpoint: proxy.endpoint });
    const attempt = () =>
      runtime.eventbridge(structuredClone(event), context()).catch((error: unknown) => error);
    return { secret, runtime, attempt };
  };

  it('rides out throttling on the first two UpdateSecret attempts within one invocation', async () => {
    // Prepare
    const { secret, attempt } = await deliver('throttled-twice');
    proxy.inject({ operation: 'secretsmanager.UpdateSecret', fault: faults.throttling(), times: 2 });

    // Act
    const result = await attempt();

    // Assess
    expect(result).toMatchObject({ outcome: 'updated' });
    expect(await listVersions(secret.name)).toHaveLength(2);
  });

  it('fails retryably when throttling outlasts the SDK attempts, and the redelivery applies it once', async () => {
    // Prepare
    const { secret, attempt } = await deliver('throttled-always');
    proxy.inject({ operation: 'secretsmanager.UpdateSecret', fault: faults.throttling(), times: 3 });

    // Act
    const first = await attempt();
    const redelivered = await attempt();

    // Assess
    expect(first).toMatchObject({ name: 'SecretUpdateRetryableError', retryable: true });
    expect(redelivered).toMatchObject({ outcome: 'updated' });
    expect(await listVersions(secret.name)).toHaveLength(2);
  });

  it('creates no second version when the UpdateSecret response is lost after Secrets Manager applied it', async () => {
    // Prepare: every response of UpdateSecret is lost; the SDK's own retries resend the same token
    const { secret, attempt } = await deliver('response-lost');
    proxy.inject({ operation: 'secretsmanager.UpdateSecret', fault: faults.loseResponse(), times: 3 });

    // Act
    const first = await attempt();
    const redelivered = await attempt();

    // Assess
    expect(first).toMatchObject({ name: 'SecretUpdateRetryableError' });
    expect(redelivered).toMatchObject({ outcome: 'updated' });
    expect(await listVersions(secret.name)).toHaveLength(2);
    expect(await currentSecretValue(secret.name)).toMatchObject({ secretString: 'value-response-lost' });
  });

  it('refuses the version quota (LimitExceededException) at once, as rejected, with one attempt', async () => {
    // Prepare
    const { attempt } = await deliver('quota');
    proxy.inject({ operation: 'secretsmanager.UpdateSecret', fault: faults.limitExceeded() });
    const before = proxy.requests.get('secretsmanager.UpdateSecret') ?? 0;

    // Act
    const result = await attempt();

    // Assess
    expect(result).toMatchObject({ name: 'SecretUpdateRejectedError', retryable: false });
    expect((proxy.requests.get('secretsmanager.UpdateSecret') ?? 0) - before).toBe(1);
  });

  it('makes no UpdateSecret call when the idempotency lock cannot be taken (DynamoDB failing)', async () => {
    // Prepare
    const { secret, attempt } = await deliver('lock-failing');
    proxy.inject({ operation: 'dynamodb.PutItem', fault: faults.dynamoDbFailure() });
    const before = proxy.requests.get('secretsmanager.UpdateSecret') ?? 0;

    // Act
    const result = await attempt();

    // Assess
    expect(result).toMatchObject({ name: 'SecretUpdateRetryableError' });
    expect((proxy.requests.get('secretsmanager.UpdateSecret') ?? 0) - before).toBe(0);
    expect(await listVersions(secret.name)).toHaveLength(1);
  });

  it('creates no second version when the record cannot be completed and the update is redelivered later', async () => {
    // Prepare: UpdateSecret applies, completing the record fails on every attempt
    const { secret, attempt } = await deliver('completion-failing');
    proxy.inject({ operation: 'dynamodb.UpdateItem', fault: faults.dynamoDbFailure() });

    // Act: the redelivery comes after the failed invocation's deadline
    const first = await attempt();
    proxy.clear();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 60_000);
    const redelivered = await attempt();

    // Assess
    expect(first).toMatchObject({ name: 'SecretUpdateRetryableError' });
    expect(redelivered).toMatchObject({ outcome: 'updated' });
    expect(await listVersions(secret.name)).toHaveLength(2);
  });

  it('fails retryably while connections are refused, and applies the update once they are accepted again', async () => {
    // Prepare
    const { secret, attempt } = await deliver('refused');
    await proxy.refuseConnections();

    // Act
    const refused = await attempt();
    await proxy.acceptConnections();
    const redelivered = await attempt();

    // Assess
    expect(refused).toMatchObject({ name: 'SecretUpdateRetryableError' });
    expect(redelivered).toMatchObject({ outcome: 'updated' });
    expect(await listVersions(secret.name)).toHaveLength(2);
  });

  it('gives a slow or throttled Secrets Manager up before the invocation deadline, with a retryable error', async () => {
    // Prepare: UpdateSecret answers only after 3 s; the invocation has 3.6 s left, 2 s of them kept to answer
    const { secret, runtime } = await deliver('deadline');
    proxy.inject({ operation: 'secretsmanager.UpdateSecret', fault: faults.delay(3_000) });
    const event = eventBridgeEvent({ secretId: secret.name, secretString: 'value-near-the-deadline' });

    // Act
    const attempt = await runtime
      .eventbridge(event, fakeLambdaContext('secret-updater-faults', 3_600))
      .catch((error: unknown) => error);

    // Assess
    expect(attempt).toMatchObject({ name: 'SecretUpdateRetryableError', retryable: true });
    expect((attempt as Error).cause).toMatchObject({ name: 'AbortError' });
  });

  it('keeps a permanent error when releasing the lock runs past the deadline signal', async () => {
    // Prepare: the secret does not exist; 3.5 s left, so the signal fires at 1.5 s, while the release takes 2 s
    const { runtime } = await deliver('lock-release-slow');
    proxy.inject({ operation: 'dynamodb.DeleteItem', fault: faults.delay(2_000) });
    const event = eventBridgeEvent({ secretId: 'test/faults/never-created', secretString: 'value-for-none' });

    // Act
    const attempt = await runtime
      .eventbridge(event, fakeLambdaContext('secret-updater-faults', 3_500))
      .catch((error: unknown) => error);

    // Assess
    expect(attempt).toMatchObject({ name: 'SecretNotFoundError', retryable: false });
  });

  it('gives a stalled idempotency table up before the invocation deadline, with a retryable error', async () => {
    // Prepare: the update is applied, then the call that completes its record never answers
    const { secret, runtime } = await deliver('table-stalls');
    proxy.inject({ operation: 'dynamodb.UpdateItem', fault: faults.hold() });
    const event = eventBridgeEvent({ secretId: secret.name, secretString: 'value-before-the-stall' });
    const deadlineMilliseconds = 6_000;
    const started = Date.now();

    // Act
    const attempt = await runtime
      .eventbridge(event, fakeLambdaContext('secret-updater-faults', deadlineMilliseconds))
      .catch((error: unknown) => error);

    // Assess: answered within the invocation, retryable, the update applied once
    expect(Date.now() - started).toBeLessThan(deadlineMilliseconds);
    expect(attempt).toMatchObject({ name: 'SecretUpdateRetryableError', retryable: true });
    expect(await listVersions(secret.name)).toHaveLength(2);
  });

  it('returns the records of a batch it has no time left to start, unstarted, and answers before the deadline', async () => {
    // Prepare: every call takes 100 ms, two records at a time, 40 records, 4 s left
    const secrets = await Promise.all(
      Array.from({ length: 40 }, (_, index) => createTestSecret(`batch-deadline-${index}`)),
    );
    proxy.inject({ operation: /^(dynamodb|secretsmanager)\./, fault: faults.delay(100) });
    const runtime = createTestRuntime({ endpoint: proxy.endpoint, environment: { BATCH_CONCURRENCY: '2' } });
    const event = sqsEventOf(
      secrets.map((secret) => ({ secretId: secret.name, secretString: `value-of-${secret.name}` })),
    );
    const deadlineMilliseconds = 4_000;
    const locksBefore = proxy.requests.get('dynamodb.PutItem') ?? 0;
    const started = Date.now();

    // Act
    const response = await runtime.sqs(
      event,
      fakeLambdaContext('secret-updater-faults', deadlineMilliseconds),
    );

    // Assess: in time; every record applied or reported for redelivery; those never started made no call
    expect(Date.now() - started).toBeLessThan(deadlineMilliseconds);
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    const versions = await Promise.all(secrets.map((secret) => listVersions(secret.name)));
    event.Records.forEach((record, index) => {
      const applied = versions[index]?.length === 2;
      expect(applied || failed.has(record.messageId)).toBe(true);
    });
    const lockAttempts = (proxy.requests.get('dynamodb.PutItem') ?? 0) - locksBefore;
    expect(lockAttempts).toBeLessThan(40);
    expect(failed.size).toBeGreaterThanOrEqual(40 - lockAttempts);
  });

  it('applies an update through a slow network unchanged', async () => {
    // Prepare
    const { secret, attempt } = await deliver('delayed');
    proxy.inject({ operation: /.*/, fault: faults.delay(150) });

    // Act
    const result = await attempt();

    // Assess
    expect(result).toMatchObject({ outcome: 'updated' });
    expect(await listVersions(secret.name)).toHaveLength(2);
  });
});
