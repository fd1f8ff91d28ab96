import { randomUUID } from 'node:crypto';
import { DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../functions/commons/config.ts';
import { logger } from '../../functions/commons/logging/logger.ts';
import { createRuntime } from '../../functions/commons/runtime.ts';
import { createEventBridgeHandler } from '../../functions/eventbridge.ts';
import { fakeLambdaContext } from '../../infra/local/lambda-context.ts';
import { binaryCanary, canaryValue, describeThrown, expectNoCanary } from '../support/canary.ts';
import { dynamoDbFailingOn, secretsManagerThrowing } from '../support/faulty-clients.ts';
import { createTestSecret, scanIdempotencyTable, secretsManager } from '../support/local-aws.ts';
import { captureOutput } from '../support/output-capture.ts';
import { eventBridgeEvent, sqsEventOf } from '../support/sample-events.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

/**
 * Canary values driven through every path, success and failure: no form of any of them may appear in what
 * the process printed, in the idempotency table, in a result or in a thrown error.
 */
describe('secret values never leak', () => {
  const canaries: string[] = [];
  const results: unknown[] = [];
  const thrown: unknown[] = [];
  let output: ReturnType<typeof captureOutput>;

  const canary = (label: string): string => {
    const value = canaryValue(label);
    canaries.push(value);
    return value;
  };
  const settle = async (attempt: Promise<unknown>): Promise<void> => {
    try {
      results.push(await attempt);
    } catch (error) {
      thrown.push(error);
    }
  };

  beforeAll(async () => {
    logger.setLogLevel('DEBUG');
    output = captureOutput();
    try {
      await driveEveryPath();
    } finally {
      output.restore();
      logger.setLogLevel('SILENT');
    }
  });

  async function driveEveryPath(): Promise<void> {
    const secret = await createTestSecret('canary');
    const runtime = createTestRuntime();
    const context = fakeLambdaContext('secret-updater-canary');

    // EventBridge: success, duplicate, same event with another value (conflict)
    const applied = eventBridgeEvent({ secretId: secret.name, secretString: canary('eventbridge') });
    await settle(runtime.eventbridge(structuredClone(applied), context));
    await settle(runtime.eventbridge(structuredClone(applied), context));
    await settle(
      runtime.eventbridge(
        { ...applied, detail: { secretId: secret.name, secretString: canary('conflict') } },
        context,
      ),
    );
    // concurrent duplicates (one applies, the others are refused as in progress or replayed)
    const concurrent = eventBridgeEvent({ secretId: secret.name, secretString: canary('concurrent') });
    await Promise.all([1, 2, 3].map(() => settle(runtime.eventbridge(structuredClone(concurrent), context))));
    // by partial ARN (the ARN without its 6-character suffix)
    await settle(
      runtime.eventbridge(
        eventBridgeEvent({ secretId: secret.arn.slice(0, -7), secretString: canary('partial-arn') }),
        context,
      ),
    );
    // a reused clientRequestToken with another value
    const clientRequestToken = `canary-token-${randomUUID()}`;
    await settle(
      runtime.eventbridge(
        eventBridgeEvent({ secretId: secret.name, secretString: canary('token-1'), clientRequestToken }),
        context,
      ),
    );
    await settle(
      runtime.eventbridge(
        eventBridgeEvent({ secretId: secret.name, secretString: canary('token-2'), clientRequestToken }),
        context,
      ),
    );
    // binary, metadata with a canary description is not secret: only values count
    await settle(
      runtime.eventbridge(
        eventBridgeEvent({ secretId: secret.name, secretBinary: registerBinary() }),
        context,
      ),
    );
    // refused before any call: stale, forbidden, not found, oversized
    const stale = eventBridgeEvent({ secretId: secret.name, secretString: canary('stale') });
    stale.time = '2020-01-01T00:00:00Z';
    await settle(runtime.eventbridge(stale, context));
    const forbidding = createTestRuntime({ environment: { ALLOWED_SECRET_IDS: 'prod/*' } });
    await settle(
      forbidding.eventbridge(
        eventBridgeEvent({ secretId: secret.name, secretString: canary('forbidden') }),
        context,
      ),
    );
    await settle(
      runtime.eventbridge(
        eventBridgeEvent({ secretId: 'test/canary/missing', secretString: canary('not-found') }),
        context,
      ),
    );
    await settle(
      runtime.eventbridge(
        eventBridgeEvent({ secretId: secret.name, secretString: canary('big').repeat(3_000) }),
        context,
      ),
    );
    const deleted = await createTestSecret('canary-deleted');
    await secretsManager().send(new DeleteSecretCommand({ SecretId: deleted.name, RecoveryWindowInDays: 7 }));
    await settle(
      runtime.eventbridge(
        eventBridgeEvent({ secretId: deleted.name, secretString: canary('deleted') }),
        context,
      ),
    );

    // SQS: malformed bodies, wrong fields, both values, PascalCase, unknown field, EventBridge envelope
    const sqs = sqsEventOf([
      `{"secretId":"${secret.name}","secretString":"${canary('truncated-json')}`,
      `{"secretId":"${secret.name}","secretString":"${canary('trailing-garbage')}"} trailing`,
      { secretId: secret.name, SecretString: canary('pascal-case') },
      { secretId: secret.name, secretString: canary('both'), secretBinary: 'AAAA' },
      { secretId: secret.name, secretString: canary('unknown-field'), secretStrng: canary('typo') },
      { secretId: secret.name, secretString: 42, note: canary('wrong-type-sibling') },
      { [canary('as-a-key')]: 'x', secretId: secret.name },
      eventBridgeEvent({ secretId: secret.name, secretString: canary('envelope') }),
      { secretId: secret.name, secretString: canary('sqs-applied') },
    ]);
    await settle(runtime.sqs(sqs, context));
    const noBody = sqsEventOf([{ secretId: secret.name }]);
    delete (noBody.Records[0] as Partial<SQSRecord>).body;
    await settle(runtime.sqs(noBody, context));

    // Step Functions: success, missing idempotencyKey
    await settle(
      runtime.stepFunctions(
        { secretId: secret.name, secretString: canary('sfn'), idempotencyKey: randomUUID() },
        context,
      ),
    );
    await settle(
      runtime.stepFunctions({ secretId: secret.name, secretString: canary('sfn-no-key') }, context),
    );

    // An unrecognised failure whose message quotes the value (logged as unexpected, masked)
    const quoted = canary('quoted-by-failure');
    const quoting = secretsManagerThrowing(() => new TypeError(`cannot serialise ${quoted}`));
    const unexpected = createRuntime(readConfig(process.env), { secretsManagerClient: quoting });
    await settle(
      createEventBridgeHandler(unexpected.pipeline)(
        eventBridgeEvent({ secretId: secret.name, secretString: quoted }),
        context,
      ),
    );
    // The idempotency store failing after the update (the record stays INPROGRESS)
    const failingStore = dynamoDbFailingOn('UpdateItemCommand');
    const storeFailing = createRuntime(readConfig(process.env), { dynamoDbClient: failingStore });
    await settle(
      createEventBridgeHandler(storeFailing.pipeline)(
        eventBridgeEvent({ secretId: secret.name, secretString: canary('store-down') }),
        context,
      ),
    );
  }

  function registerBinary(): string {
    const value = binaryCanary();
    canaries.push(value);
    return value;
  }

  afterAll(() => {
    canaries.length = 0;
  });

  it('drove every path (each failure kind was reached)', () => {
    const names = new Set(thrown.map((error) => (error as Error).name));
    expect([...names].sort()).toEqual(
      [
        'SecretNotFoundError',
        'SecretUpdateConflictError',
        'SecretUpdateForbiddenError',
        'SecretUpdateRejectedError',
        'SecretUpdateRetryableError',
        'SecretUpdateStaleError',
        'SecretUpdateValidationError',
      ].sort(),
    );
    expect(output.text()).toContain('secret update applied');
    expect(output.text()).toContain('secret update failed unexpectedly');
  });

  it('prints no canary in any log line or other output', () => {
    expectNoCanary(output.text(), canaries, 'the captured stdout/stderr');
  });

  it('stores no canary in the idempotency table', async () => {
    expectNoCanary(JSON.stringify(await scanIdempotencyTable()), canaries, 'the idempotency table');
  });

  it('returns no canary in any result', () => {
    expectNoCanary(JSON.stringify(results), canaries, 'the results');
  });

  it('throws no error that carries a canary', () => {
    for (const error of thrown)
      expectNoCanary(describeThrown(error), canaries, `a thrown ${(error as Error).name}`);
  });
});
