import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { readConfig } from '../../functions/commons/config.ts';
import { logger } from '../../functions/commons/logging/logger.ts';
import { createRuntime } from '../../functions/commons/runtime.ts';
import { createEventBridgeHandler } from '../../functions/eventbridge.ts';
import { fakeLambdaContext } from '../../infra/local/lambda-context.ts';
import { canaryForms, describeThrown } from '../support/canary.ts';
import { dynamoDbFailingOn, secretsManagerThrowing } from '../support/faulty-clients.ts';
import { createTestSecret, scanIdempotencyTable, type TestSecret } from '../support/local-aws.ts';
import { captureOutput } from '../support/output-capture.ts';
import { eventBridgeEvent, sqsEventOf } from '../support/sample-events.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

/** `npm run test:reliability` runs many more cases than `npm test`. */
const RUNS = Number(process.env.RELIABILITY_LEAK_RUNS ?? '10');

/**
 * Every generated value carries 16 random characters, so that no form of it can occur by chance; around them,
 * ASCII, Unicode, JSON, field names and log text.
 */
const secretText = (): fc.Arbitrary<string> => {
  const nonce = () => randomBytes(12).toString('base64url');
  return fc
    .oneof(
      fc.string({ unit: 'binary-ascii', minLength: 0, maxLength: 40 }),
      fc.string({ unit: 'grapheme', minLength: 0, maxLength: 40 }),
      fc.json({ maxDepth: 2 }),
      fc.constantFrom(
        'secretId',
        'secretString',
        '"outcome":"updated"',
        'secret update applied',
        'SecretUpdateConflictError',
        'message',
        'level',
      ),
    )
    .map((around) => `${around}${nonce()}${around}`);
};

type Path = (value: string, secret: TestSecret) => Promise<unknown>;

/** Every path a value can take: success, replay, each failure, SDK and Powertools errors. */
function paths(): Record<string, Path> {
  const context = () => fakeLambdaContext('secret-updater-leaks');
  const config = readConfig(process.env);
  return {
    applied: (value, secret) =>
      createTestRuntime().eventbridge(
        eventBridgeEvent({ secretId: secret.name, secretString: value }),
        context(),
      ),
    'replayed and conflicting': async (value, secret) => {
      const runtime = createTestRuntime();
      const event = eventBridgeEvent({ secretId: secret.name, secretString: value });
      await runtime.eventbridge(structuredClone(event), context());
      await runtime.eventbridge(structuredClone(event), context());
      return runtime.eventbridge(
        { ...event, detail: { secretId: secret.name, secretString: `${value}-other` } },
        context(),
      );
    },
    // Sent as the base64 of the value: the forms looked for are then the base64 text the request carried
    // and the value itself, which is what the secret's bytes decode to.
    'applied and replayed as a binary secret': async (value, secret) => {
      const runtime = createTestRuntime();
      const event = eventBridgeEvent({
        secretId: secret.name,
        secretBinary: Buffer.from(value, 'utf8').toString('base64'),
      });
      await runtime.eventbridge(structuredClone(event), context());
      return runtime.eventbridge(structuredClone(event), context());
    },
    'Powertools validation error (same key, other description)': async (value, secret) => {
      const runtime = createTestRuntime();
      const event = eventBridgeEvent({ secretId: secret.name, secretString: value, description: 'one' });
      await runtime.eventbridge(structuredClone(event), context());
      return runtime.eventbridge({ ...event, detail: { ...event.detail, description: 'two' } }, context());
    },
    'Powertools in-progress error (concurrent duplicates)': async (value, secret) => {
      const runtime = createTestRuntime();
      const event = eventBridgeEvent({ secretId: secret.name, secretString: value });
      return Promise.allSettled([1, 2, 3].map(() => runtime.eventbridge(structuredClone(event), context())));
    },
    'token reused with this value': async (value, secret) => {
      const runtime = createTestRuntime();
      const clientRequestToken = `leak-token-${randomUUID()}`;
      await runtime.eventbridge(
        eventBridgeEvent({ secretId: secret.name, secretString: 'first', clientRequestToken }),
        context(),
      );
      return runtime.eventbridge(
        eventBridgeEvent({ secretId: secret.name, secretString: value, clientRequestToken }),
        context(),
      );
    },
    'validation errors in an SQS batch': (value, secret) =>
      createTestRuntime().sqs(
        sqsEventOf([
          { secretId: secret.name, secretString: value, unknownField: value },
          { secretId: secret.name, SecretString: value },
          `{"secretId":"${secret.name}","secretString":${JSON.stringify(value)}`,
          { secretId: secret.name, secretBinary: value },
          { secretId: secret.name, secretString: value, idempotencyKey: '' },
        ]),
        context(),
      ),
    'stale, forbidden and not found': async (value, secret) => {
      const stale = eventBridgeEvent({ secretId: secret.name, secretString: value });
      stale.time = '2020-01-01T00:00:00Z';
      const forbidding = createTestRuntime({ environment: { ALLOWED_SECRET_IDS: 'prod/*' } });
      return Promise.allSettled([
        createTestRuntime().eventbridge(stale, context()),
        forbidding.eventbridge(eventBridgeEvent({ secretId: secret.name, secretString: value }), context()),
        createTestRuntime().eventbridge(
          eventBridgeEvent({ secretId: `${secret.name}-missing`, secretString: value }),
          context(),
        ),
      ]);
    },
    'an SDK error that quotes the value': (value, secret) =>
      createEventBridgeHandler(
        createRuntime(config, {
          secretsManagerClient: secretsManagerThrowing(
            () => new TypeError(`could not serialise {"SecretString":${JSON.stringify(value)}}`),
          ),
        }).pipeline,
      )(eventBridgeEvent({ secretId: secret.name, secretString: value }), context()),
    'the idempotency store failing': (value, secret) =>
      createEventBridgeHandler(
        createRuntime(config, { dynamoDbClient: dynamoDbFailingOn('UpdateItemCommand') }).pipeline,
      )(eventBridgeEvent({ secretId: secret.name, secretString: value }), context()),
  };
}

describe('secret values never leak, whatever the value and the path (property-based)', () => {
  let output: ReturnType<typeof captureOutput>;
  let secret: TestSecret;
  beforeAll(async () => {
    secret = await createTestSecret('leak-properties');
    logger.setLogLevel('DEBUG');
  });
  afterAll(() => {
    logger.setLogLevel('SILENT');
  });

  it.each(Object.entries(paths()))(
    '%s',
    async (_name, path) => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(secretText(), fc.uint8Array({ minLength: 12, maxLength: 64 }).map(binaryValue)),
          async (value) => {
            // Prepare
            const thrown: unknown[] = [];
            output = captureOutput();

            // Act
            let result: unknown;
            try {
              result = await path(value, secret);
            } catch (error) {
              thrown.push(error);
            } finally {
              output.restore();
            }

            // Assess
            const settled = Array.isArray(result) ? result : [result];
            const reasons = settled.map((entry) => (entry as { reason?: unknown })?.reason).filter(Boolean);
            const items = await scanIdempotencyTable();
            const places = {
              'the log output': output.text(),
              'the results': JSON.stringify(result) ?? '',
              'the thrown errors': [...thrown, ...reasons].map(describeThrown).join('\n'),
              'the idempotency table': JSON.stringify(items),
            };
            for (const [where, text] of Object.entries(places)) {
              for (const form of canaryForms(value)) {
                if (text.includes(form)) throw new Error(`a form of the value appears in ${where}`);
              }
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    300_000,
  );
});

/** A binary secret is sent as base64; its forms are those of the base64 text (and the decoded bytes). */
function binaryValue(bytes: Uint8Array): string {
  return Buffer.from([...randomBytes(12), ...bytes]).toString('base64');
}
