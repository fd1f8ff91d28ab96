import { createHash, randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { deriveClientRequestToken } from '../../functions/commons/request/identity.ts';
import { createSqsHandler } from '../../functions/sqs.ts';
import { fakeLambdaContext } from '../../infra/local/lambda-context.ts';
import {
  createTestSecret,
  currentSecretValue,
  listVersions,
  secretValueAtStage,
} from '../support/local-aws.ts';
import { eventBridgeEvent, sqsEvent, sqsEventOf } from '../support/sample-events.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

const context = () => fakeLambdaContext('secret-updater-sqs');
const failedIds = (response: { batchItemFailures: { itemIdentifier: string }[] }) =>
  response.batchItemFailures.map((failure) => failure.itemIdentifier).sort();
const messageIds = (records: readonly SQSRecord[]) => records.map((record) => record.messageId).sort();

describe('sqs handler', () => {
  it('fails only the malformed record of a batch and applies the others', async () => {
    // Prepare
    const [first, second] = [await createTestSecret('sqs-batch-a'), await createTestSecret('sqs-batch-b')];
    const runtime = createTestRuntime();
    const event = sqsEventOf([
      { secretId: first.name, secretString: 'batch-value-a-0001' },
      '{"secretId": "test/whatever", "secretString": "truncated',
      { secretId: second.name, secretString: 'batch-value-b-0001' },
    ]);
    const malformed = event.Records[1] as SQSRecord;

    // Act
    const response = await runtime.sqs(event, context());

    // Assess
    expect(failedIds(response)).toEqual([malformed.messageId]);
    expect(await currentSecretValue(first.name)).toMatchObject({ secretString: 'batch-value-a-0001' });
    expect(await currentSecretValue(second.name)).toMatchObject({ secretString: 'batch-value-b-0001' });
  });

  it('returns every record of a batch in which every record fails, without throwing', async () => {
    // Prepare
    const runtime = createTestRuntime();
    const event = sqsEventOf([
      'not json',
      { secretId: 'x' },
      { SecretId: 'x', SecretString: 'pascal-case-value' },
    ]);

    // Act
    const response = await runtime.sqs(event, context());

    // Assess
    expect(failedIds(response)).toEqual(messageIds(event.Records));
    expect(runtime.totalAwsCalls()).toBe(0);
  });

  it('creates one version for two messages with the same idempotencyKey and secret', async () => {
    // Prepare
    const secret = await createTestSecret('sqs-business-key');
    const runtime = createTestRuntime();
    const request = {
      secretId: secret.name,
      secretString: 'value-sent-twice',
      idempotencyKey: `order-${randomUUID()}`,
    };

    // Act: a producer's resend is a new message with a new messageId
    const first = await runtime.sqs(sqsEventOf([request]), context());
    const second = await runtime.sqs(sqsEventOf([request]), context());

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    expect(await listVersions(secret.name)).toHaveLength(2);
  });

  it('applies an EventBridge event carried in the body, keyed by the event id', async () => {
    // Prepare
    const secret = await createTestSecret('sqs-eventbridge-envelope');
    const runtime = createTestRuntime();
    const inner = eventBridgeEvent({ secretId: secret.name, secretString: 'value-via-eventbridge-to-sqs' });
    const event = sqsEventOf([inner]);
    const redelivered = sqsEventOf([inner]); // EventBridge may deliver the same event twice: new messageId

    // Act
    const first = await runtime.sqs(event, context());
    const second = await runtime.sqs(redelivered, context());

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    expect(await listVersions(secret.name)).toHaveLength(2);
    expect(await currentSecretValue(secret.name)).toMatchObject({
      secretString: 'value-via-eventbridge-to-sqs',
    });
  });

  it('refuses a record whose SentTimestamp is older than MAX_REQUEST_AGE_SECONDS', async () => {
    // Prepare
    const secret = await createTestSecret('sqs-stale');
    const runtime = createTestRuntime({ environment: { MAX_REQUEST_AGE_SECONDS: '60' } });
    const event = sqsEventOf([{ secretId: secret.name, secretString: 'stale-sqs-value' }]);
    const [record] = event.Records as [SQSRecord];
    record.attributes.SentTimestamp = String(Date.now() - 61_000);

    // Act
    const response = await runtime.sqs(event, context());

    // Assess
    expect(failedIds(response)).toEqual([record.messageId]);
    expect(runtime.totalAwsCalls()).toBe(0);
  });

  it('refuses a record without a valid SentTimestamp, since its age cannot be checked', async () => {
    // Prepare
    const runtime = createTestRuntime();
    const event = sqsEventOf([
      { secretId: 'test/no-sent-timestamp', secretString: 'value-without-time' },
      { secretId: 'test/bad-sent-timestamp', secretString: 'value-with-bad-time' },
    ]);
    const [missing, invalid] = event.Records as [SQSRecord, SQSRecord];
    delete (missing.attributes as Partial<SQSRecord['attributes']>).SentTimestamp;
    invalid.attributes.SentTimestamp = '9999999999999999';

    // Act
    const response = await runtime.sqs(event, context());

    // Assess
    expect(failedIds(response)).toEqual(messageIds(event.Records));
    expect(runtime.totalAwsCalls()).toBe(0);
  });

  it('runs at most BATCH_CONCURRENCY records at a time and reports every record', async () => {
    // Prepare
    const secrets = await Promise.all(
      Array.from({ length: 12 }, (_, index) => createTestSecret(`sqs-limit-${index}`)),
    );
    const { pipeline } = createTestRuntime();
    let inFlight = 0;
    let mostInFlight = 0;
    const observedPipeline = {
      ...pipeline,
      apply: async (...args: Parameters<typeof pipeline.apply>) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        try {
          return await pipeline.apply(...args);
        } finally {
          inFlight -= 1;
        }
      },
    };
    const event = sqsEventOf(
      secrets.map((secret) => ({ secretId: secret.name, secretString: 'value-under-limit' })),
    );

    // Act
    const response = await createSqsHandler(observedPipeline, 3)(event, context());

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(mostInFlight).toBe(3);
    for (const secret of secrets) {
      expect(await currentSecretValue(secret.name)).toMatchObject({ secretString: 'value-under-limit' });
    }
  });
});

describe('sqs handler, envelope checks', () => {
  it.each([
    ['no Records', {}],
    ['null', null],
    ['a null record', { Records: [null] }],
    ['a record without messageId (it could not be reported back)', { Records: [{ body: '{}' }] }],
  ])('throws SecretUpdateValidationError for an event with %s', async (_label, event) => {
    // Act
    const attempt = await createTestRuntime()
      .sqs(event as unknown as SQSEvent, context())
      .catch((error: unknown) => error);

    // Assess
    expect(attempt).toMatchObject({
      name: 'SecretUpdateValidationError',
      message: 'the event is not an SQS event: it needs a Records list of records with a messageId',
    });
  });
});

describe('sqs handler on a FIFO queue', () => {
  it('applies a message group in order and fails the rest of a group after a failure, other groups going on', async () => {
    // Prepare
    const [ordered, blocked] = [
      await createTestSecret('fifo-ordered'),
      await createTestSecret('fifo-blocked'),
    ];
    const runtime = createTestRuntime();
    const event = sqsEvent('fifo-batch');
    const template = event.Records[0] as SQSRecord;
    const record = (group: string, body: unknown, index: number): SQSRecord => ({
      ...structuredClone(template),
      messageId: randomUUID(),
      body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: {
        ...template.attributes,
        MessageGroupId: group,
        MessageDeduplicationId: randomUUID(),
        SequenceNumber: String(index),
      },
    });
    const fifo: SQSEvent = {
      Records: [
        record('ordered', { secretId: ordered.name, secretString: 'fifo-value-1' }, 1),
        record('blocked', 'not json', 2),
        record('ordered', { secretId: ordered.name, secretString: 'fifo-value-2' }, 3),
        record('blocked', { secretId: blocked.name, secretString: 'fifo-never-applied' }, 4),
        record('ordered', { secretId: ordered.name, secretString: 'fifo-value-3' }, 5),
      ],
    };

    // Act
    const response = await runtime.sqs(fifo, context());

    // Assess
    const [, malformed, , behindMalformed] = fifo.Records as SQSRecord[];
    expect(failedIds(response)).toEqual(messageIds([malformed as SQSRecord, behindMalformed as SQSRecord]));
    expect(await currentSecretValue(ordered.name)).toMatchObject({ secretString: 'fifo-value-3' });
    expect(await secretValueAtStage(ordered.name, 'AWSPREVIOUS')).toBe('fifo-value-2');
    expect(await listVersions(blocked.name)).toHaveLength(1);
  });

  it('does not key on a content-based MessageDeduplicationId, which is a hash of the value', async () => {
    // Prepare: SQS sets the deduplication id to the SHA-256 of the body when the queue deduplicates by content
    const secret = await createTestSecret('fifo-content-dedup');
    const runtime = createTestRuntime();
    const event = sqsEvent('fifo-batch');
    const [record] = event.Records as [SQSRecord];
    record.body = JSON.stringify({ secretId: secret.name, secretString: '4821' });
    record.attributes.MessageDeduplicationId = createHash('sha256').update(record.body).digest('hex');

    // Act
    const response = await runtime.sqs({ Records: [record] }, context());

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const [version] = (await listVersions(secret.name)).filter((item) => item.stages.includes('AWSCURRENT'));
    expect(version?.versionId).toBe(
      deriveClientRequestToken({ secretId: secret.name, idempotencyKey: record.messageId }),
    );
  });

  it('finishes a batch in which two records share a messageId', async () => {
    // Prepare: SQS never sends this, but a hand-made or replayed event could
    const secret = await createTestSecret('fifo-same-message-id');
    const runtime = createTestRuntime();
    const event = sqsEvent('fifo-batch');
    const [first] = event.Records as [SQSRecord];
    first.body = JSON.stringify({ secretId: secret.name, secretString: 'value-same-message-id' });
    const twin = structuredClone(first);

    // Act
    const response = await runtime.sqs({ Records: [first, twin] }, context());

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await listVersions(secret.name)).toHaveLength(2);
  });

  it('uses the messageId as the default idempotencyKey on a standard queue, so a redelivery is replayed', async () => {
    // Prepare: SQS redelivers a message (after its visibility timeout) with the same messageId
    const secret = await createTestSecret('standard-redelivery');
    const runtime = createTestRuntime();
    const event = sqsEventOf([{ secretId: secret.name, secretString: 'standard-redelivered-value' }]);
    const [record] = event.Records as [SQSRecord];

    // Act
    const first = await runtime.sqs(structuredClone(event), context());
    const redelivered = await runtime.sqs(structuredClone(event), context());

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(await listVersions(secret.name)).toHaveLength(2);
    const [version] = (await listVersions(secret.name)).filter((entry) =>
      entry.stages.includes('AWSCURRENT'),
    );
    expect(version?.versionId).toBe(
      deriveClientRequestToken({ secretId: secret.name, idempotencyKey: record.messageId }),
    );
  });

  it('uses MessageDeduplicationId as the default idempotencyKey, so a resend is replayed', async () => {
    // Prepare
    const secret = await createTestSecret('fifo-dedup');
    const runtime = createTestRuntime();
    const event = sqsEvent('fifo-batch');
    const [record] = event.Records as [SQSRecord];
    record.body = JSON.stringify({ secretId: secret.name, secretString: 'fifo-resent-value' });
    const resend = structuredClone(event);
    (resend.Records[0] as SQSRecord).messageId = randomUUID();

    // Act
    await runtime.sqs({ Records: [record] }, context());
    await runtime.sqs({ Records: [resend.Records[0] as SQSRecord] }, context());

    // Assess
    expect(await listVersions(secret.name)).toHaveLength(2);
  });
});
