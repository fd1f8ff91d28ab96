import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../functions/commons/logging/logger.ts';
import { fakeLambdaContext } from '../../infra/local/lambda-context.ts';
import { createTestSecret, currentSecretValue, type TestSecret } from '../support/local-aws.ts';
import { captureOutput } from '../support/output-capture.ts';
import { eventBridgeEvent, sqsEventOf } from '../support/sample-events.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

/**
 * The bad-input catalogue: every input gets its documented error name, makes no AWS call, leaves the other
 * records of its batch alone, and cannot crash the process (logging at DEBUG, masking included, on all of it).
 */
const ENVIRONMENT = { ALLOWED_SECRET_IDS: 'test/*', ALLOWED_KMS_KEY_IDS: 'alias/allowed-key' };
const VALIDATION = 'SecretUpdateValidationError';

const deeplyNested = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
const longToken = (length: number) => 'a'.repeat(length);

/** SQS bodies (or whole records) that must fail alone, with the error they must fail with. */
const sqsCases: { label: string; body?: string; record?: (record: SQSRecord) => void; error: string }[] = [
  { label: 'malformed JSON', body: '{"secretId":', error: VALIDATION },
  { label: 'an empty body', body: '', error: VALIDATION },
  { label: 'a JSON string', body: '"prod/db"', error: VALIDATION },
  { label: 'a JSON number', body: '42', error: VALIDATION },
  { label: 'JSON null', body: 'null', error: VALIDATION },
  { label: 'a JSON array', body: '[{"secretId":"test/x","secretString":"v"}]', error: VALIDATION },
  { label: 'secretId as a number', body: '{"secretId":42,"secretString":"v"}', error: VALIDATION },
  { label: 'an empty secretId', body: '{"secretId":"","secretString":"v"}', error: VALIDATION },
  { label: 'a secretId with a space', body: '{"secretId":"test/a b","secretString":"v"}', error: VALIDATION },
  {
    label: 'a secretId of 513 characters',
    body: JSON.stringify({ secretId: `test/${'n'.repeat(509)}`, secretString: 'v' }),
    error: VALIDATION,
  },
  {
    label: 'an ARN of another service',
    body: '{"secretId":"arn:aws:s3:::bucket","secretString":"v"}',
    error: VALIDATION,
  },
  {
    label: 'an unknown field',
    body: '{"secretId":"test/x","secretString":"v","rotate":true}',
    error: VALIDATION,
  },
  {
    label: 'both values',
    body: '{"secretId":"test/x","secretString":"v","secretBinary":"AAAA"}',
    error: VALIDATION,
  },
  { label: 'an empty secretString', body: '{"secretId":"test/x","secretString":""}', error: VALIDATION },
  {
    label: 'a value of 65,537 UTF-8 bytes in multi-byte characters',
    body: JSON.stringify({ secretId: 'test/x', secretString: `${'€'.repeat(21_845)}ab` }),
    error: VALIDATION,
  },
  { label: 'invalid base64', body: '{"secretId":"test/x","secretBinary":"not base64!"}', error: VALIDATION },
  { label: 'base64url characters', body: '{"secretId":"test/x","secretBinary":"ab-_"}', error: VALIDATION },
  { label: 'unpadded base64', body: '{"secretId":"test/x","secretBinary":"YWJj ZA"}', error: VALIDATION },
  {
    label: 'a binary value of 65,537 bytes',
    body: JSON.stringify({ secretId: 'test/x', secretBinary: Buffer.alloc(65_537, 1).toString('base64') }),
    error: VALIDATION,
  },
  {
    label: 'a token of 31 characters',
    body: JSON.stringify({ secretId: 'test/x', secretString: 'v', clientRequestToken: longToken(31) }),
    error: VALIDATION,
  },
  {
    label: 'a token of 65 characters',
    body: JSON.stringify({ secretId: 'test/x', secretString: 'v', clientRequestToken: longToken(65) }),
    error: VALIDATION,
  },
  {
    label: 'a token with an underscore',
    body: JSON.stringify({ secretId: 'test/x', secretString: 'v', clientRequestToken: `${longToken(35)}_` }),
    error: VALIDATION,
  },
  {
    label: 'an empty idempotencyKey',
    body: '{"secretId":"test/x","secretString":"v","idempotencyKey":""}',
    error: VALIDATION,
  },
  {
    label: 'an idempotencyKey with a control character',
    body: '{"secretId":"test/x","secretString":"v","idempotencyKey":"a\\u0007b"}',
    error: VALIDATION,
  },
  {
    label: 'an idempotencyKey of 257 characters',
    body: JSON.stringify({ secretId: 'test/x', secretString: 'v', idempotencyKey: 'k'.repeat(257) }),
    error: VALIDATION,
  },
  { label: 'a null secretString', body: '{"secretId":"test/x","secretString":null}', error: VALIDATION },
  { label: 'a null description', body: '{"secretId":"test/x","description":null}', error: VALIDATION },
  { label: 'PascalCase SecretString', body: '{"secretId":"test/x","SecretString":"v"}', error: VALIDATION },
  { label: 'PascalCase SecretId', body: '{"SecretId":"test/x","SecretString":"v"}', error: VALIDATION },
  {
    label: 'a __proto__ key',
    body: '{"secretId":"test/x","secretString":"v","__proto__":{"polluted":true}}',
    error: VALIDATION,
  },
  {
    label: 'a constructor key',
    body: '{"secretId":"test/x","secretString":"v","constructor":{"prototype":{"polluted":true}}}',
    error: VALIDATION,
  },
  {
    label: 'JSON nested 100,000 levels deep',
    body: `{"secretId":"test/x","secretString":"v","nested":${deeplyNested}}`,
    error: VALIDATION,
  },
  {
    label: 'a huge JSON body (1 MiB)',
    body: JSON.stringify({ secretId: 'test/x', secretString: 'v', padding: 'p'.repeat(1_048_576) }),
    error: VALIDATION,
  },
  {
    label: 'a description of 2,049 characters',
    body: JSON.stringify({ secretId: 'test/x', description: 'd'.repeat(2_049) }),
    error: VALIDATION,
  },
  {
    label: 'a kmsKeyId with a line break',
    body: '{"secretId":"test/x","kmsKeyId":"alias/a\\nb"}',
    error: VALIDATION,
  },
  { label: 'a request that changes nothing', body: '{"secretId":"test/x"}', error: VALIDATION },
  {
    label: 'a secret outside ALLOWED_SECRET_IDS',
    body: '{"secretId":"prod/db","secretString":"v"}',
    error: 'SecretUpdateForbiddenError',
  },
  {
    label: 'a KMS key outside ALLOWED_KMS_KEY_IDS',
    body: '{"secretId":"test/x","kmsKeyId":"alias/other-key"}',
    error: 'SecretUpdateForbiddenError',
  },
  {
    label: 'a stale request',
    body: '{"secretId":"test/x","secretString":"v"}',
    record: (record) => {
      record.attributes.SentTimestamp = String(Date.now() - 2 * 86_400_000);
    },
    error: 'SecretUpdateStaleError',
  },
  {
    label: 'a send time in the future',
    body: '{"secretId":"test/x","secretString":"v"}',
    record: (record) => {
      record.attributes.SentTimestamp = String(Date.now() + 3_600_000);
    },
    error: VALIDATION,
  },
  {
    label: 'no body',
    record: (record) => {
      delete (record as Partial<SQSRecord>).body;
    },
    error: VALIDATION,
  },
  {
    label: 'no SentTimestamp',
    body: '{"secretId":"test/x","secretString":"v"}',
    record: (record) => {
      delete (record.attributes as Partial<SQSRecord['attributes']>).SentTimestamp;
    },
    error: VALIDATION,
  },
  {
    label: 'an EventBridge event without detail',
    body: JSON.stringify({ ...eventBridgeEvent({}), detail: undefined }),
    error: VALIDATION,
  },
];

/** EventBridge events that must be refused (thrown), with the error. */
const eventBridgeCases: { label: string; event: () => unknown; error: string }[] = [
  { label: 'no detail', event: () => ({ ...eventBridgeEvent({}), detail: undefined }), error: VALIDATION },
  { label: 'a null detail', event: () => ({ ...eventBridgeEvent({}), detail: null }), error: VALIDATION },
  {
    label: 'a detail that is a string',
    event: () => ({ ...eventBridgeEvent({}), detail: '{"secretId":"test/x"}' }),
    error: VALIDATION,
  },
  {
    label: 'a time that is not ISO 8601',
    event: () => ({ ...eventBridgeEvent({ secretId: 'test/x', secretString: 'v' }), time: 'yesterday' }),
    error: VALIDATION,
  },
  {
    label: 'an id with a line break',
    event: () => ({ ...eventBridgeEvent({ secretId: 'test/x', secretString: 'v' }), id: 'a\nb' }),
    error: VALIDATION,
  },
  {
    label: 'an unknown field in detail',
    event: () => eventBridgeEvent({ secretId: 'test/x', secretString: 'v', force: true }),
    error: VALIDATION,
  },
  { label: 'not an object at all', event: () => 'an event', error: VALIDATION },
];

/** Step Functions inputs that must be refused (thrown), with the error. */
const stepFunctionsCases: { label: string; input: unknown; error: string }[] = [
  { label: 'no idempotencyKey', input: { secretId: 'test/x', secretString: 'v' }, error: VALIDATION },
  {
    label: 'an array',
    input: [{ secretId: 'test/x', secretString: 'v', idempotencyKey: 'k' }],
    error: VALIDATION,
  },
  { label: 'null', input: null, error: VALIDATION },
  { label: 'a stringified request', input: '{"secretId":"test/x"}', error: VALIDATION },
];

describe('bad-input catalogue', () => {
  let output: ReturnType<typeof captureOutput>;
  let neighbours: [TestSecret, TestSecret];
  beforeAll(async () => {
    neighbours = [await createTestSecret('bad-input-before'), await createTestSecret('bad-input-after')];
    logger.setLogLevel('DEBUG');
    output = captureOutput();
  });
  afterAll(() => {
    output.restore();
    logger.setLogLevel('SILENT');
  });

  it('has at least 40 inputs across the three triggers', () => {
    expect(sqsCases.length + eventBridgeCases.length + stepFunctionsCases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(sqsCases)(
    'SQS: $label fails alone with $error, without any AWS call of its own',
    async (badCase) => {
      // Prepare: the bad record between two good ones
      const runtime = createTestRuntime({ environment: ENVIRONMENT });
      const [before, after] = neighbours;
      const value = `neighbour-${randomUUID()}`;
      const event = sqsEventOf([
        { secretId: before.name, secretString: value },
        badCase.body ?? '',
        { secretId: after.name, secretString: value },
      ]);
      const bad = event.Records[1] as SQSRecord;
      badCase.record?.(bad);
      const errors: string[] = [];

      // Act
      const response = await runtime.sqs(event, fakeLambdaContext('secret-updater-bad-input'));
      await runtime.sqs({ Records: [bad] }, fakeLambdaContext('secret-updater-bad-input')).then(
        () => undefined,
        (error: unknown) => errors.push(String(error)),
      );

      // Assess
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: bad.messageId }]);
      expect(await currentSecretValue(before.name)).toMatchObject({ secretString: value });
      expect(await currentSecretValue(after.name)).toMatchObject({ secretString: value });
      // Two good records: lock, write and record each; the bad one adds nothing (also when alone).
      expect(Object.fromEntries(runtime.calls.secretsManager)).toEqual({ UpdateSecretCommand: 2 });
      expect(Object.fromEntries(runtime.calls.dynamoDb)).toEqual({ PutItemCommand: 2, UpdateItemCommand: 2 });
      expect(errors).toEqual([]);
      const lines = output
        .text()
        .split('\n')
        .filter((line) => line.includes(bad.messageId));
      expect(lines.some((line) => line.includes(`"errorName":"${badCase.error}"`))).toBe(true);
    },
  );

  it.each(eventBridgeCases)(
    'EventBridge: $label is refused with $error, without any AWS call',
    async (badCase) => {
      // Prepare
      const runtime = createTestRuntime({ environment: ENVIRONMENT });

      // Act
      const attempt = await runtime
        .eventbridge(badCase.event(), fakeLambdaContext('x'))
        .catch((error: unknown) => error);

      // Assess
      expect(attempt).toMatchObject({ name: badCase.error });
      expect(runtime.totalAwsCalls()).toBe(0);
    },
  );

  it.each(stepFunctionsCases)(
    'Step Functions: $label is refused with $error, without any AWS call',
    async (badCase) => {
      // Prepare
      const runtime = createTestRuntime({ environment: ENVIRONMENT });

      // Act
      const attempt = await runtime
        .stepFunctions(badCase.input, fakeLambdaContext('x'))
        .catch((error: unknown) => error);

      // Assess
      expect(attempt).toMatchObject({ name: badCase.error });
      expect(runtime.totalAwsCalls()).toBe(0);
    },
  );

  it('leaves Object.prototype unpolluted after all of it', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
