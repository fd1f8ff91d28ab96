import { randomBytes, randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../functions/commons/config.ts';
import { logger } from '../../functions/commons/logging/logger.ts';
import { createRuntime } from '../../functions/commons/runtime.ts';
import { createStepFunctionsHandler } from '../../functions/step-functions.ts';
import { fakeLambdaContext } from '../../infra/local/lambda-context.ts';
import { secretsManagerThrowing } from '../support/faulty-clients.ts';
import { createTestSecret } from '../support/local-aws.ts';
import { captureOutput } from '../support/output-capture.ts';
import { eventBridgeEvent, sqsEventOf } from '../support/sample-events.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

type LogLine = Record<string, unknown>;
const parseLines = (text: string): LogLine[] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

describe('log lines', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    logger.setLogLevel('INFO');
    output = captureOutput();
  });
  afterEach(() => {
    output.restore();
    logger.setLogLevel('SILENT');
  });

  it('writes one JSON line per request with the documented fields', async () => {
    // Prepare
    const secret = await createTestSecret('log-fields');
    const runtime = createTestRuntime();
    const event = eventBridgeEvent({ secretId: secret.name, secretString: 'value-for-log-fields' });

    const context = fakeLambdaContext('secret-updater-eventbridge');

    // Act
    const result = await runtime.eventbridge(event, context);

    // Assess
    const lines = parseLines(output.text());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'INFO',
      service: 'secret-updater',
      message: 'secret update applied',
      trigger: 'eventbridge',
      correlationId: event.id,
      secretId: secret.name,
      idempotencyKey: event.id,
      clientRequestToken: result.clientRequestToken,
      outcome: 'updated',
      versionId: result.versionId,
      function_name: 'secret-updater-eventbridge',
      function_request_id: context.awsRequestId,
    });
  });

  it('names the error, its retryability and the record, and logs no raw event', async () => {
    // Prepare
    const runtime = createTestRuntime();
    const event = sqsEventOf(['{"secretId": "x", "secretString": "unterminated', { secretId: 'x' }]);
    const [malformed, unchanged] = event.Records as [SQSRecord, SQSRecord];

    // Act
    await runtime.sqs(event, fakeLambdaContext('secret-updater-sqs'));

    // Assess
    const lines = parseLines(output.text());
    expect(lines).toHaveLength(2);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        trigger: 'sqs',
        correlationId: malformed.messageId,
        errorName: 'SecretUpdateValidationError',
        retryable: false,
        errorMessage: 'the SQS message body is not valid JSON',
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        correlationId: unchanged.messageId,
        secretId: 'x',
        errorName: 'SecretUpdateValidationError',
        errorMessage: 'the request changes nothing: give secretString, secretBinary, description or kmsKeyId',
      }),
    );
    expect(output.text()).not.toContain(malformed.receiptHandle);
    expect(output.text()).not.toContain('unterminated');
  });

  it('logs something thrown that is not an Error, masked', async () => {
    // Prepare
    const value = `thrown-${randomUUID()}`;
    const { pipeline } = createRuntime(readConfig(process.env), {
      secretsManagerClient: secretsManagerThrowing(
        () => ({ reason: `cannot use ${value}` }) as unknown as Error,
      ),
    });

    // Act
    await createStepFunctionsHandler(pipeline)(
      { secretId: 'x', secretString: value, idempotencyKey: randomUUID() },
      fakeLambdaContext('secret-updater-step-functions'),
    ).catch(() => undefined);

    // Assess
    const [line] = parseLines(output.text());
    expect(line).toMatchObject({ level: 'ERROR', error: { thrownValue: '{"reason":"cannot use ****"}' } });
  });

  it.each([
    ['quotes and backticks', (half: string, other: string) => `${half}'"\`${other}`],
    ['a control character', (half: string, other: string) => `${half}\u0001${other}`],
    ['a cut at the length bound', (half: string, other: string) => `${half}${other}`],
  ])('masks a value with %s inside something thrown that is not an Error', async (label, build) => {
    // Prepare: halves that are unlikely anywhere else, so that either one showing is a leak
    const [half, other] = [`first-${randomUUID()}`, `second-${randomUUID()}`];
    const value = build(half, other);
    const padding = label === 'a cut at the length bound' ? 'x'.repeat(1_970) : '';
    const { pipeline } = createRuntime(readConfig(process.env), {
      secretsManagerClient: secretsManagerThrowing(
        () => ({ reason: `${padding}${value}` }) as unknown as Error,
      ),
    });

    // Act
    await createStepFunctionsHandler(pipeline)(
      { secretId: 'x', secretString: value, idempotencyKey: randomUUID() },
      fakeLambdaContext('secret-updater-step-functions'),
    ).catch(() => undefined);

    // Assess
    const text = output.text();
    expect(parseLines(text)[0]).toMatchObject({ level: 'ERROR' });
    expect(text).not.toContain(half);
    expect(text).not.toContain(other);
  });

  it('masks a binary value in the canonical base64 the SDK sends, when the request spelled it otherwise', async () => {
    // Prepare: 20 bytes take 27 base64 digits and 2 padding bits; setting one spells the same bytes otherwise
    // (starting "+/", so that no base64url form, also masked, happens to equal it)
    const bytes = Buffer.concat([Buffer.from('fbff', 'hex'), randomBytes(18)]);
    const canonical = bytes.toString('base64');
    const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const last = digits.indexOf(canonical.charAt(26));
    const spelledOtherwise = `${canonical.slice(0, 26)}${digits.charAt(last ^ 1)}=`;
    const { pipeline } = createRuntime(readConfig(process.env), {
      secretsManagerClient: secretsManagerThrowing(
        () => new TypeError(`could not serialise {"SecretBinary":"${canonical}"}`),
      ),
    });

    // Act
    await createStepFunctionsHandler(pipeline)(
      { secretId: 'x', secretBinary: spelledOtherwise, idempotencyKey: randomUUID() },
      fakeLambdaContext('secret-updater-step-functions'),
    ).catch(() => undefined);

    // Assess
    expect(parseLines(output.text())[0]).toMatchObject({ level: 'ERROR' });
    expect(Buffer.from(spelledOtherwise, 'base64')).toEqual(bytes);
    expect(output.text()).not.toContain(canonical.slice(0, 26));
  });

  it('tags a line about an event it could not read with that invocation, not an earlier one', async () => {
    // Prepare
    const runtime = createTestRuntime();
    const earlier = fakeLambdaContext('secret-updater-sqs');
    const later = fakeLambdaContext('secret-updater-sqs');
    await runtime.sqs(sqsEventOf([{ secretId: 'x' }]), earlier);

    // Act
    await runtime.sqs({} as never, later).catch(() => undefined);

    // Assess
    const lines = parseLines(output.text());
    expect(lines.at(-1)).toMatchObject({
      errorName: 'SecretUpdateValidationError',
      function_request_id: later.awsRequestId,
    });
  });

  it('masks a value that an unrecognised failure quotes, in the logged error and its stack', async () => {
    // Prepare: the failure is unrecognised, so it is logged whole
    const value = `quoted-${randomUUID()}`;
    const quoting = secretsManagerThrowing(
      () =>
        new RangeError(`bad input {"secretString":"${value}"} and ${Buffer.from(value).toString('base64')}`),
    );
    const { pipeline } = createRuntime(readConfig(process.env), { secretsManagerClient: quoting });

    // Act
    const attempt = await createStepFunctionsHandler(pipeline)(
      { secretId: 'x', secretString: value, idempotencyKey: randomUUID() },
      fakeLambdaContext('secret-updater-step-functions'),
    ).catch((error: unknown) => error);

    // Assess
    expect(attempt).toMatchObject({ name: 'SecretUpdateRetryableError', unexpected: true });
    const [line] = parseLines(output.text());
    expect(line).toMatchObject({ level: 'ERROR', message: 'secret update failed unexpectedly' });
    expect(JSON.stringify(line)).toContain('RangeError');
    expect(JSON.stringify(line)).toContain('****');
    expect(output.text()).not.toContain(value);
    expect(output.text()).not.toContain(Buffer.from(value).toString('base64'));
  });
});
