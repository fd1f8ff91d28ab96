// npm start: the main job on the local AWS stack. Delivers the sample events under events/ through the three
// handlers, prints what happened to each delivery and to each secret, and exits 0 only when every delivery
// behaved as expected.
import { randomUUID } from 'node:crypto';
import { ListSecretVersionIdsCommand } from '@aws-sdk/client-secrets-manager';
import type { SQSEvent } from 'aws-lambda';
import { fakeLambdaContext } from './lambda-context.ts';
import { exitWithStartupFailure, provisionLocalStack } from './local-stack.ts';
import { localSecretsManager, SAMPLE_SECRETS } from './provision.ts';
import { freshenEvent, loadEvent } from './sample-events.ts';

// Quiet by default so the report reads well; POWERTOOLS_LOG_LEVEL=INFO shows the (masked) log lines.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

const stack = await provisionLocalStack().catch(exitWithStartupFailure);
try {
  const ok = await runSampleDeliveries(stack.endpoint);
  process.exitCode = ok ? 0 : 1;
} catch (failure) {
  console.error('npm start failed:', failure);
  process.exitCode = 1;
} finally {
  await stack.stop();
}

interface Observed {
  readonly trigger: string;
  readonly correlationId: string;
  readonly outcome: string;
}

async function runSampleDeliveries(endpoint: string): Promise<boolean> {
  // Imported only now: the handlers read their configuration from the environment at module scope.
  const { runtimeFromEnvironment } = await import('../../functions/commons/runtime.ts');
  const { createEventBridgeHandler } = await import('../../functions/eventbridge.ts');
  const { createSqsHandler } = await import('../../functions/sqs.ts');
  const { createStepFunctionsHandler } = await import('../../functions/step-functions.ts');

  // The real pipeline, observed: each delivery's outcome or error name is noted for the report.
  const { pipeline, config } = runtimeFromEnvironment();
  const observed: Observed[] = [];
  const observedPipeline = {
    ...pipeline,
    apply: async (...args: Parameters<typeof pipeline.apply>) => {
      const [envelope] = args;
      const note = (outcome: string) => observed.push({ ...envelope, outcome });
      try {
        const result = await pipeline.apply(...args);
        note(result.outcome);
        return result;
      } catch (error) {
        note(error instanceof Error ? error.name : 'unknown error');
        throw error;
      }
    },
    reject: (...args: Parameters<typeof pipeline.reject>) => {
      const error = pipeline.reject(...args);
      observed.push({ ...args[0], outcome: error.name });
      return error;
    },
  };
  const handlers = {
    eventbridge: createEventBridgeHandler(observedPipeline),
    sqs: createSqsHandler(observedPipeline, config.batchConcurrency),
    stepFunctions: createStepFunctionsHandler(observedPipeline),
  };
  const context = (name: string) => fakeLambdaContext(`secret-updater-${name}`);
  const runId = randomUUID().slice(0, 8);
  const fresh = <T>(file: string): T => freshenEvent(loadEvent<T>(file), { renewKeys: true, runId });

  const scenarios: Array<{
    title: string;
    file: string;
    expected: string[];
    deliver: () => Promise<unknown>;
  }> = [];
  const add = (title: string, file: string, expected: string[], deliver: () => Promise<unknown>) =>
    scenarios.push({ title, file, expected, deliver });

  const stringUpdate = fresh<Record<string, unknown>>('eventbridge/update-secret-string.json');
  add('EventBridge: update a string secret', 'eventbridge/update-secret-string.json', ['updated'], () =>
    handlers.eventbridge(structuredClone(stringUpdate), context('eventbridge')),
  );
  add(
    'EventBridge: the same event delivered again',
    'eventbridge/update-secret-string.json',
    ['replayed'],
    () => handlers.eventbridge(structuredClone(stringUpdate), context('eventbridge')),
  );
  add(
    'EventBridge: update a JSON secret and its description',
    'eventbridge/update-json-secret.json',
    ['updated'],
    () => handlers.eventbridge(fresh('eventbridge/update-json-secret.json'), context('eventbridge')),
  );
  add(
    'EventBridge: metadata only (description)',
    'eventbridge/metadata-only.json',
    ['metadata-updated'],
    () => handlers.eventbridge(fresh('eventbridge/metadata-only.json'), context('eventbridge')),
  );
  const explicitToken = fresh<{ detail: Record<string, unknown> }>('eventbridge/explicit-token.json');
  add('EventBridge: a caller-chosen clientRequestToken', 'eventbridge/explicit-token.json', ['updated'], () =>
    handlers.eventbridge(structuredClone(explicitToken), context('eventbridge')),
  );
  add(
    'EventBridge: that token again with another value (a new event)',
    'eventbridge/explicit-token.json',
    ['SecretUpdateConflictError'],
    () => {
      const reused = fresh<{ detail: Record<string, unknown> }>('eventbridge/explicit-token.json');
      reused.detail = { ...explicitToken.detail, secretString: 'sample-fake-webhook-token-other' };
      return handlers.eventbridge(reused, context('eventbridge'));
    },
  );
  add(
    'SQS: an EventBridge event in the body (rule with an SQS target)',
    'sqs/eventbridge-envelope.json',
    ['updated'],
    () => handlers.sqs(fresh<SQSEvent>('sqs/eventbridge-envelope.json'), context('sqs')),
  );
  add(
    'SQS: a batch with a binary secret and a malformed record',
    'sqs/standard-batch.json',
    ['updated', 'updated', 'SecretUpdateValidationError'],
    () => handlers.sqs(fresh<SQSEvent>('sqs/standard-batch.json'), context('sqs')),
  );
  add('SQS FIFO: two message groups', 'sqs/fifo-batch.json', ['updated', 'updated', 'updated'], () =>
    handlers.sqs(fresh<SQSEvent>('sqs/fifo-batch.json'), context('sqs')),
  );
  add('Step Functions: a task input', 'step-functions/update-secret.json', ['updated'], () =>
    handlers.stepFunctions(fresh('step-functions/update-secret.json'), context('step-functions')),
  );

  console.log(`secret-updater on the local AWS stack at ${endpoint}\n`);
  let allAsExpected = true;
  for (const [index, scenario] of scenarios.entries()) {
    const before = observed.length;
    let returned: unknown;
    try {
      returned = await scenario.deliver();
    } catch {
      // a thrown error is a possible expected outcome; it was observed
    }
    const outcomes = observed.slice(before).map((entry) => entry.outcome);
    const asExpected = sameMultiset(outcomes, scenario.expected);
    allAsExpected &&= asExpected;
    console.log(`${asExpected ? 'ok  ' : 'FAIL'} ${index + 1}. ${scenario.title}  (events/${scenario.file})`);
    for (const entry of observed.slice(before)) {
      console.log(`       ${entry.trigger.padEnd(14)} ${entry.correlationId.padEnd(38)} ${entry.outcome}`);
    }
    const failures = (returned as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures;
    if (failures !== undefined) console.log(`       batchItemFailures: ${failures.length}`);
    if (!asExpected) console.log(`       expected: ${scenario.expected.join(', ')}`);
  }

  console.log('\nSecrets afterwards (staging labels, and how many versions each secret has):');
  const secretsManager = localSecretsManager(endpoint);
  for (const secret of SAMPLE_SECRETS) {
    const listed = await secretsManager.send(
      new ListSecretVersionIdsCommand({ SecretId: secret.name, IncludeDeprecated: true }),
    );
    const versions = listed.Versions ?? [];
    const labelled = versions
      .filter((version) => (version.VersionStages ?? []).length > 0)
      .sort((left, right) =>
        (left.VersionStages ?? []).includes('AWSCURRENT')
          ? -1
          : (right.VersionStages ?? []).includes('AWSCURRENT')
            ? 1
            : 0,
      );
    console.log(`  ${secret.name}  (${versions.length} versions)`);
    for (const version of labelled) {
      console.log(`    ${(version.VersionStages ?? []).join(', ').padEnd(12)} ${version.VersionId}`);
    }
  }
  secretsManager.destroy();

  console.log(
    allAsExpected
      ? '\nEvery delivery behaved as expected.'
      : '\nSome deliveries did not behave as expected (FAIL above).',
  );
  return allAsExpected;
}

function sameMultiset(actual: readonly string[], expected: readonly string[]): boolean {
  return (
    actual.length === expected.length && [...actual].sort().join('\n') === [...expected].sort().join('\n')
  );
}
