import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
// @ts-expect-error asl-validator ships no type declarations
import aslValidator from 'asl-validator';
import type { Context } from 'aws-lambda';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readConfig } from '../../functions/commons/config.ts';
import { createRuntime } from '../../functions/commons/runtime.ts';
import { createStepFunctionsHandler } from '../../functions/step-functions.ts';
import { fakeLambdaContext } from '../../infra/local/lambda-context.ts';
import { dynamoDbFailingOn } from '../support/faulty-clients.ts';
import { createTestSecret, currentSecretValue, listVersions } from '../support/local-aws.ts';
import { projectRoot } from '../support/packaged-template.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:secret-updater-test-step-functions';
/** The function timeout of the packaged template (serverless.yml default). */
const FUNCTION_TIMEOUT_MILLISECONDS = 30_000;

const aslText = readFileSync(`${projectRoot}infra/state-machine.asl.json`, 'utf8');
/** The definition as CloudFormation deploys it: DefinitionSubstitutions applied. */
const definition = (): StateMachineDefinition =>
  JSON.parse(aslText.replaceAll('${UpdateSecretFunctionArn}', FUNCTION_ARN)) as StateMachineDefinition;
const retryInterval = (): number =>
  (JSON.parse(aslText).States.UpdateSecret.Retry[0].IntervalSeconds as number) * 1000;

type TaskHandler = (payload: unknown, context: Context) => Promise<unknown>;

/**
 * Runs the state machine with its Task going to a local function, as the optimized lambda:invoke
 * integration calls it ({FunctionName, Payload} in, {Payload} out). Retry waits are not slept: `beforeRetry`
 * moves the clock on by the retry interval instead.
 */
function execute(input: unknown, attempts: TaskHandler[], beforeRetry: () => void = () => {}) {
  const executionId = `arn:aws:states:us-east-1:123456789012:execution:secret-updater-test-update-secret:${randomUUID()}`;
  const invocations: unknown[] = [];
  const machine = new StateMachine(definition(), { validationOptions: { checkArn: true, checkPaths: true } });
  const run = machine.run(input as never, {
    // The local interpreter takes the context object as given: the execution id and this Task's name.
    context: { Execution: { Id: executionId }, State: { Name: 'UpdateSecret' } } as never,
    overrides: {
      retryIntervalOverrides: { UpdateSecret: 0 },
      taskResourceLocalHandlers: {
        UpdateSecret: async (request) => {
          const { FunctionName, Payload } = request as { FunctionName: string; Payload: unknown };
          expect(FunctionName).toBe(FUNCTION_ARN);
          if (invocations.length > 0) beforeRetry();
          invocations.push(Payload);
          const handler = attempts[Math.min(invocations.length - 1, attempts.length - 1)] as TaskHandler;
          return {
            Payload: await handler(
              Payload,
              fakeLambdaContext('secret-updater-test-step-functions', FUNCTION_TIMEOUT_MILLISECONDS),
            ),
          } as never;
        },
      },
    },
  });
  const events: { type: string; state?: { name: string } }[] = [];
  const logged = (async () => {
    for await (const event of run.eventLogs) events.push(event as (typeof events)[number]);
  })();
  const result = run.result.finally(() => logged);
  return { executionId, invocations, result, events };
}

describe('state machine definition', () => {
  it('passes asl-validator', () => {
    // Act
    const { isValid, errors } = aslValidator(definition());

    // Assess
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('is refused by asl-validator when a Catch leads nowhere (the check can fail)', () => {
    // Prepare
    const broken = definition() as unknown as { States: { UpdateSecret: { Catch: { Next: string }[] } } };
    (broken.States.UpdateSecret.Catch[0] as { Next: string }).Next = 'Nowhere';

    // Act
    const { isValid } = aslValidator(broken as never);

    // Assess
    expect(isValid).toBe(false);
  });
});

describe('state machine with the real step-functions handler on the local stack', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('updates the secret and outputs the result, keyed by execution id and state name', async () => {
    // Prepare
    const secret = await createTestSecret('sfn-success');
    const { stepFunctions } = createTestRuntime();

    // Act
    const execution = execute({ secretId: secret.name, secretString: 'value-through-state-machine' }, [
      stepFunctions,
    ]);
    const output = await execution.result;

    // Assess
    expect(execution.invocations).toEqual([
      {
        secretId: secret.name,
        secretString: 'value-through-state-machine',
        idempotencyKey: `${execution.executionId}/UpdateSecret`,
      },
    ]);
    const current = await currentSecretValue(secret.name);
    expect(current.secretString).toBe('value-through-state-machine');
    expect(output).toEqual({
      outcome: 'updated',
      secretArn: secret.arn,
      secretName: secret.name,
      versionId: current.versionId,
      clientRequestToken: current.versionId,
      idempotencyKey: `${execution.executionId}/UpdateSecret`,
    });
  });

  it('outputs a metadata-only result without a version', async () => {
    // Prepare
    const secret = await createTestSecret('sfn-metadata');
    const { stepFunctions } = createTestRuntime();

    // Act
    const execution = execute({ secretId: secret.name, description: 'rotated by the state machine' }, [
      stepFunctions,
    ]);
    const output = await execution.result;

    // Assess
    expect(output).toEqual({
      outcome: 'metadata-updated',
      secretArn: secret.arn,
      secretName: secret.name,
      idempotencyKey: `${execution.executionId}/UpdateSecret`,
    });
  });

  it('retries a crashed attempt after its idempotency lock has expired, without a second version', async () => {
    // Prepare: the first attempt applies UpdateSecret, then dies before completing its record
    const secret = await createTestSecret('sfn-retry');
    const crashing = createStepFunctionsHandler(
      createRuntime(readConfig(process.env), { dynamoDbClient: dynamoDbFailingOn('UpdateItemCommand') })
        .pipeline,
    );
    const { stepFunctions } = createTestRuntime();
    vi.useFakeTimers({ toFake: ['Date'] });
    const moveClockByRetryInterval = () => vi.setSystemTime(Date.now() + retryInterval());

    // Act
    const execution = execute(
      { secretId: secret.name, secretString: 'value-retried-by-state-machine' },
      [crashing, stepFunctions],
      moveClockByRetryInterval,
    );
    const output = await execution.result;

    // Assess
    expect(retryInterval()).toBeGreaterThan(FUNCTION_TIMEOUT_MILLISECONDS);
    expect(execution.invocations).toHaveLength(2);
    expect(output).toMatchObject({ outcome: 'updated', secretName: secret.name });
    expect(await listVersions(secret.name)).toHaveLength(2);
    expect(await currentSecretValue(secret.name)).toMatchObject({
      secretString: 'value-retried-by-state-machine',
    });
  });

  it('would find the lock still held by a retry that came before the function timeout', async () => {
    // Prepare: the same crash, but the retry comes at once (no clock move): this is why the interval is long
    const secret = await createTestSecret('sfn-early-retry');
    const crashing = createStepFunctionsHandler(
      createRuntime(readConfig(process.env), { dynamoDbClient: dynamoDbFailingOn('UpdateItemCommand') })
        .pipeline,
    );
    const { stepFunctions } = createTestRuntime();
    const failures: unknown[] = [];
    const recordingFailures: TaskHandler = (payload, context) =>
      stepFunctions(payload, context).catch((error: unknown) => {
        failures.push(error);
        throw error;
      });

    // Act
    const execution = execute({ secretId: secret.name, secretString: 'value-retried-too-early' }, [
      crashing,
      recordingFailures,
    ]);
    const outcome = await execution.result.catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(ExecutionError);
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure).toMatchObject({
        name: 'SecretUpdateRetryableError',
        message: 'an earlier delivery of this update is still in progress',
      });
    }
  });

  it('catches a permanent error into the failure state, keeping its name', async () => {
    // Prepare
    const { stepFunctions } = createTestRuntime();

    // Act
    const execution = execute({ secretId: 'test/never-created', secretString: 'value-for-missing-secret' }, [
      stepFunctions,
    ]);
    const outcome = await execution.result.catch((error: unknown) => error);

    // Assess
    expect(execution.invocations).toHaveLength(1);
    expect(outcome).toBeInstanceOf(ExecutionError);
    expect((outcome as ExecutionError).cause).toMatchObject({ name: 'SecretNotFoundError' });
    const path = execution.events.map((event) => `${event.type}${event.state ? ` ${event.state.name}` : ''}`);
    expect(path).toEqual([
      'ExecutionStarted',
      'StateEntered UpdateSecret',
      'StateFailed UpdateSecret',
      'StateCaught UpdateSecret',
      'StateExited UpdateSecret',
      'StateEntered UpdateFailed',
      'StateFailed UpdateFailed',
      'ExecutionFailed',
    ]);
  });
});
