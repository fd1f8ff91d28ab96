import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSqsHandler } from '../../functions/sqs.ts';
import { fakeLambdaContext } from '../../infra/local/lambda-context.ts';
import { createTestSecret } from '../support/local-aws.ts';
import { sqsEventOf } from '../support/sample-events.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

/** A standard queue's largest batch (10,000) under `npm run test:reliability`; 200 records under `npm test`. */
const RECORDS = process.env.RELIABILITY_SCALE === 'full' ? 10_000 : 200;
const BATCH_CONCURRENCY = 10;

describe(`an SQS batch of ${RECORDS} valid records`, () => {
  it('is processed with at most BATCH_CONCURRENCY records in flight, every record applied and none reported failed', async () => {
    // Prepare
    const secrets = await Promise.all(
      Array.from({ length: 20 }, (_, index) => createTestSecret(`large-batch-${index}`)),
    );
    const { pipeline, calls } = createTestRuntime();
    let inFlight = 0;
    let mostInFlight = 0;
    let applied = 0;
    const observed = {
      ...pipeline,
      apply: async (...args: Parameters<typeof pipeline.apply>) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        try {
          const result = await pipeline.apply(...args);
          applied += result.outcome === 'updated' ? 1 : 0;
          return result;
        } finally {
          inFlight -= 1;
        }
      },
    };
    const event = sqsEventOf(
      Array.from({ length: RECORDS }, (_, index) => ({
        secretId: secrets[index % secrets.length]?.name,
        secretString: `large-batch-value-${index}`,
        idempotencyKey: `large-batch-${randomUUID()}`,
      })),
    );

    // Act
    const response = await createSqsHandler(observed, BATCH_CONCURRENCY)(
      event,
      fakeLambdaContext('large-batch', 900_000),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(applied).toBe(RECORDS);
    expect(mostInFlight).toBe(BATCH_CONCURRENCY);
    expect(calls.secretsManager.get('UpdateSecretCommand')).toBe(RECORDS);
  }, 900_000);
});
