import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { idempotencyRecordKey } from '../../functions/commons/idempotency/idempotent-write.ts';
import { fakeLambdaContext } from '../../infra/local/lambda-context.ts';
import { FaultProxy, faults } from '../support/fault-proxy.ts';
import {
  createTestSecret,
  currentSecretValue,
  idempotencyItems,
  listVersions,
} from '../support/local-aws.ts';
import { projectRoot } from '../support/packaged-template.ts';
import { eventBridgeEvent, sqsEventOf } from '../support/sample-events.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

const DEADLINE_MILLISECONDS = 10_000;

/**
 * Starts the handler in a child process whose AWS calls go through the proxy. In that very process, with
 * tsx as a loader: the tsx command would run it in a grandchild, which outlives a SIGKILL of the command.
 */
function startInvocation(
  event: unknown,
  endpoint: string,
): { child: ChildProcess; exited: Promise<NodeJS.Signals | null> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(projectRoot, 'test/reliability/crash-child.ts')],
    {
      env: {
        ...process.env,
        AWS_ENDPOINT_URL: endpoint,
        SECRET_UPDATER_EVENT: JSON.stringify(event),
        SECRET_UPDATER_DEADLINE_MS: String(DEADLINE_MILLISECONDS),
      },
      stdio: 'ignore',
    },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  return { child, exited };
}

describe('a process killed after UpdateSecret, before its idempotency record completes', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await FaultProxy.start(process.env.AWS_ENDPOINT_URL ?? '');
  });
  afterAll(async () => {
    vi.useRealTimers();
    await proxy.stop();
  });

  it('is redelivered after its in-progress expiry without a second version', async () => {
    // Prepare: hold the record's completion; when it arrives, UpdateSecret has been applied: kill the process
    const secret = await createTestSecret('killed-process');
    const event = eventBridgeEvent({ secretId: secret.name, secretString: 'value-of-the-killed-invocation' });
    proxy.inject({ operation: 'dynamodb.UpdateItem', fault: faults.hold(), times: 1 });
    const invocation = startInvocation(event, proxy.endpoint);
    proxy.onHold = () => invocation.child.kill('SIGKILL');
    const signal = await invocation.exited;
    await vi.waitFor(() => expect(proxy.heldOpen()).toBe(0), { timeout: 2_000 }); // the handler died with it
    const versionsAfterCrash = await listVersions(secret.name);
    const key = idempotencyRecordKey({ secretId: secret.name, idempotencyKey: event.id });
    const record = (await idempotencyItems()).find((item) => item.id === key);

    // Act: EventBridge (Lambda's async retry) redelivers the event after the dead invocation's deadline
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + DEADLINE_MILLISECONDS + 1_000);
    const redelivered = await createTestRuntime().eventbridge(
      structuredClone(event),
      fakeLambdaContext('retry'),
    );
    vi.useRealTimers();

    // Assess
    expect(signal).toBe('SIGKILL');
    expect(versionsAfterCrash).toHaveLength(2);
    expect(record).toMatchObject({ status: 'INPROGRESS' });
    expect(redelivered).toMatchObject({ outcome: 'updated' });
    expect(await listVersions(secret.name)).toEqual(versionsAfterCrash);
    expect(await currentSecretValue(secret.name)).toMatchObject({
      secretString: 'value-of-the-killed-invocation',
    });
  });

  it('is refused as still in progress when redelivered before that deadline (then replayed after it)', async () => {
    // Prepare
    const secret = await createTestSecret('killed-process-early');
    const event = eventBridgeEvent({
      secretId: secret.name,
      secretString: 'value-of-another-killed-invocation',
    });
    proxy.inject({ operation: 'dynamodb.UpdateItem', fault: faults.hold(), times: 1 });
    const invocation = startInvocation(event, proxy.endpoint);
    proxy.onHold = () => invocation.child.kill('SIGKILL');
    await invocation.exited;
    await vi.waitFor(() => expect(proxy.heldOpen()).toBe(0), { timeout: 2_000 });
    const sqsRedelivery = sqsEventOf([event]);

    // Act
    const early = await createTestRuntime().sqs(sqsRedelivery, fakeLambdaContext('early'));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + DEADLINE_MILLISECONDS + 1_000);
    const late = await createTestRuntime().sqs(sqsEventOf([event]), fakeLambdaContext('late'));
    vi.useRealTimers();

    // Assess
    expect(early.batchItemFailures).toHaveLength(1);
    expect(late.batchItemFailures).toEqual([]);
    expect(await listVersions(secret.name)).toHaveLength(2);
  });
});
