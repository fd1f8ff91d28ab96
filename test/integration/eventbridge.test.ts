import { describe, expect, it } from 'vitest';
import { SecretUpdateConflictError } from '../../functions/commons/errors.ts';
import { fakeLambdaContext } from '../support/lambda-context.ts';
import { createTestSecret, currentSecretValue, listVersions } from '../support/local-aws.ts';
import { eventBridgeEvent } from '../support/sample-events.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

const context = () => fakeLambdaContext('secret-updater-eventbridge');

describe('eventbridge handler', () => {
  it('applies an update and answers two more deliveries of the same event from the record', async () => {
    // Prepare
    const secret = await createTestSecret('eventbridge-replay');
    const runtime = createTestRuntime();
    const event = eventBridgeEvent({ secretId: secret.name, secretString: 'new-value-for-replay-test' });

    // Act
    const first = await runtime.eventbridge(structuredClone(event), context());
    const second = await runtime.eventbridge(structuredClone(event), context());
    const third = await runtime.eventbridge(structuredClone(event), context());

    // Assess
    expect(first.outcome).toBe('updated');
    expect([second.outcome, third.outcome]).toEqual(['replayed', 'replayed']);
    expect(second.versionId).toBe(first.versionId);
    expect(third.versionId).toBe(first.versionId);
    const versions = await listVersions(secret.name);
    expect(versions).toHaveLength(2);
    const current = await currentSecretValue(secret.name);
    expect(current).toMatchObject({ versionId: first.versionId, secretString: 'new-value-for-replay-test' });
  });

  it('refuses the same event id with a different value as a conflict and changes nothing', async () => {
    // Prepare
    const secret = await createTestSecret('eventbridge-conflict');
    const runtime = createTestRuntime();
    const event = eventBridgeEvent({ secretId: secret.name, secretString: 'first-value-conflict-test' });
    const applied = await runtime.eventbridge(structuredClone(event), context());

    // Act
    const conflicting = {
      ...event,
      detail: { secretId: secret.name, secretString: 'other-value-conflict-test' },
    };
    const attempt = runtime.eventbridge(conflicting, context());

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(SecretUpdateConflictError);
    expect(await currentSecretValue(secret.name)).toMatchObject({
      versionId: applied.versionId,
      secretString: 'first-value-conflict-test',
    });
    expect(await listVersions(secret.name)).toHaveLength(2);
  });
});
