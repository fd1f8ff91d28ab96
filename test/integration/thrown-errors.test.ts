import { describe, expect, it } from 'vitest';
import { fakeLambdaContext } from '../../infra/local/lambda-context.ts';
import { canaryValue, describeThrown, expectNoCanary } from '../support/canary.ts';
import { createTestSecret } from '../support/local-aws.ts';
import { eventBridgeEvent } from '../support/sample-events.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

describe('thrown errors', () => {
  it('hold no secret anywhere in their cause chain, down to the SDK response and its socket', async () => {
    // Prepare: an SDK error keeps its HTTP response, whose keep-alive socket keeps the async context (and so
    // the masking scope) of the request that opened it.
    const secret = await createTestSecret('thrown-cause');
    const runtime = createTestRuntime();
    const first = canaryValue('first');
    const second = canaryValue('second');
    const event = eventBridgeEvent({ secretId: secret.name, secretString: first });
    await runtime.eventbridge(structuredClone(event), fakeLambdaContext('thrown-cause'));

    // Act
    const conflict = await runtime
      .eventbridge(
        { ...event, detail: { secretId: secret.name, secretString: second } },
        fakeLambdaContext('x'),
      )
      .catch((error: unknown) => error);

    // Assess
    expect(conflict).toMatchObject({ name: 'SecretUpdateConflictError' });
    expect((conflict as Error).cause).toMatchObject({ name: 'ResourceExistsException' });
    expectNoCanary(describeThrown(conflict), [first, second], 'the conflict error, inspected whole');
  });
});
