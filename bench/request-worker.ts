// Runs in a child process (its stdout, the handlers' log lines, is discarded) against the local stack at
// AWS_ENDPOINT_URL: warm request cost, AWS calls per request, and batch throughput. Reports to the parent.
import { randomUUID } from 'node:crypto';
import { UpdateSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createSecretsManagerClient } from '../functions/commons/secrets/secrets-manager-client.ts';
import { fakeLambdaContext } from '../infra/local/lambda-context.ts';
import { FaultProxy, faults } from '../test/support/fault-proxy.ts';
import { createTestSecret } from '../test/support/local-aws.ts';
import { eventBridgeEvent, sqsEventOf } from '../test/support/sample-events.ts';
import { createTestRuntime } from '../test/support/test-runtime.ts';
import { compare, measureInterleaved, timed } from './statistics.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? '20');
/** The round trip added to every call in the modelled runs, by service (milliseconds). */
const modelledLatency = {
  secretsmanager: Number(process.env.BENCH_SECRETS_MANAGER_LATENCY_MS ?? '40'),
  dynamodb: Number(process.env.BENCH_DYNAMODB_LATENCY_MS ?? '8'),
};
const endpoint = process.env.AWS_ENDPOINT_URL ?? '';
const context = () => fakeLambdaContext('secret-updater-bench');

/** Secrets with their own names, so that no two records of a batch write the same secret. */
const createSecrets = (label: string, count: number) =>
  Promise.all(Array.from({ length: count }, () => createTestSecret(`bench/${label}`)));

const newValue = () => `bench-value-${randomUUID()}`;

type CallCounts = Record<string, number>;

/** The AWS calls one run makes, by operation, read from the runtime's SDK middleware counters. */
async function callsOf(runtime: ReturnType<typeof createTestRuntime>, run: () => Promise<unknown>) {
  const snapshot = (): CallCounts => ({
    ...Object.fromEntries([...runtime.calls.dynamoDb].map(([name, count]) => [`dynamodb.${name}`, count])),
    ...Object.fromEntries(
      [...runtime.calls.secretsManager].map(([name, count]) => [`secretsmanager.${name}`, count]),
    ),
  });
  const before = snapshot();
  await run();
  const after = snapshot();
  const made: CallCounts = {};
  for (const [operation, count] of Object.entries(after)) {
    const delta = count - (before[operation] ?? 0);
    if (delta > 0) made[operation.replace(/Command$/, '')] = delta;
  }
  return made;
}

/** One request through the EventBridge handler (first delivery and duplicate) against one bare UpdateSecret. */
async function measureWarmRequests() {
  const runtime = createTestRuntime();
  const bare = createSecretsManagerClient();
  const [handled, duplicated, direct] = await createSecrets('warm', 3);
  if (handled === undefined || duplicated === undefined || direct === undefined)
    throw new Error('no secrets');
  const cpuMilliseconds: Record<string, number[]> = { handler: [], duplicate: [], bare: [] };
  const cpuTimed = async (name: string, run: () => Promise<unknown>) => {
    const cpuBefore = process.cpuUsage();
    const milliseconds = await timed(run);
    const cpu = process.cpuUsage(cpuBefore);
    cpuMilliseconds[name]?.push((cpu.user + cpu.system) / 1000);
    return milliseconds;
  };
  const delivered = eventBridgeEvent({ secretId: duplicated.name, secretString: newValue() });
  await runtime.eventbridge(structuredClone(delivered), context());
  const samples = await measureInterleaved(
    {
      handler: () =>
        cpuTimed('handler', async () => {
          const result = await runtime.eventbridge(
            eventBridgeEvent({ secretId: handled.name, secretString: newValue() }),
            context(),
          );
          if (result.outcome !== 'updated') throw new Error(`expected updated, got ${result.outcome}`);
        }),
      duplicate: () =>
        cpuTimed('duplicate', async () => {
          const result = await runtime.eventbridge(structuredClone(delivered), context());
          if (result.outcome !== 'replayed') throw new Error(`expected replayed, got ${result.outcome}`);
        }),
      bare: () =>
        cpuTimed('bare', () =>
          bare.send(
            new UpdateSecretCommand({
              SecretId: direct.name,
              SecretString: newValue(),
              ClientRequestToken: randomUUID(),
            }),
          ),
        ),
    },
    rounds * 2,
    5,
  );
  const firstCalls = await callsOf(runtime, () =>
    runtime.eventbridge(eventBridgeEvent({ secretId: handled.name, secretString: newValue() }), context()),
  );
  const duplicateCalls = await callsOf(runtime, () =>
    runtime.eventbridge(structuredClone(delivered), context()),
  );
  const metadataCalls = await callsOf(runtime, () =>
    runtime.eventbridge(eventBridgeEvent({ secretId: handled.name, description: randomUUID() }), context()),
  );
  return {
    handler: compare(samples.handler, samples.bare),
    duplicate: compare(samples.duplicate, samples.bare),
    cpu: {
      handler: compare(cpuMilliseconds.handler ?? [], cpuMilliseconds.bare ?? []),
      duplicate: compare(cpuMilliseconds.duplicate ?? [], cpuMilliseconds.bare ?? []),
    },
    calls: { first: firstCalls, duplicate: duplicateCalls, metadataOnly: metadataCalls },
  };
}

/** A FIFO batch: one record per request, in `groups` message groups taken in turn, each record its own key. */
function fifoBatch(requests: readonly Record<string, unknown>[], groups: number): SQSEvent {
  const event = sqsEventOf(requests, 'fifo-batch');
  event.Records.forEach((record: SQSRecord, index) => {
    record.attributes.MessageGroupId = `bench-group-${index % groups}`;
    record.attributes.MessageDeduplicationId = randomUUID();
  });
  return event;
}

/** SQS batches against a batch of one record, standard and FIFO, through `via` (moto, or a latency proxy). */
async function measureBatches(via: string) {
  const runtime = createTestRuntime({ endpoint: via });
  const bare = createSecretsManagerClient({ endpoint: via });
  const secrets = await createSecrets('batch', 100);
  // The floor the stack itself sets: the same number of bare UpdateSecret calls, all at once.
  const bareUpdates = (count: number) => () =>
    Promise.all(
      secrets.slice(0, count).map((secret) =>
        bare.send(
          new UpdateSecretCommand({
            SecretId: secret.name,
            SecretString: newValue(),
            ClientRequestToken: randomUUID(),
          }),
        ),
      ),
    );
  const requestsFor = (count: number) =>
    secrets.slice(0, count).map((secret) => ({ secretId: secret.name, secretString: newValue() }));
  const handle = (event: SQSEvent) => async () => {
    const response = await runtime.sqs(event, context());
    if (response.batchItemFailures.length > 0) throw new Error('a benchmark batch had failed records');
  };
  const samples = await measureInterleaved(
    {
      standard1: () => timed(handle(sqsEventOf(requestsFor(1)))),
      standard10: () => timed(handle(sqsEventOf(requestsFor(10)))),
      standard100: () => timed(handle(sqsEventOf(requestsFor(100)))),
      fifo1: () => timed(handle(fifoBatch(requestsFor(1), 1))),
      fifo10Groups: () => timed(handle(fifoBatch(requestsFor(10), 10))),
      fifo1Group: () => timed(handle(fifoBatch(requestsFor(10), 1))),
      bare1: () => timed(bareUpdates(1)),
      bare10: () => timed(bareUpdates(10)),
    },
    rounds,
    2,
  );
  return {
    standard10: compare(samples.standard10, samples.standard1),
    standard100: compare(samples.standard100, samples.standard1),
    fifo10Groups: compare(samples.fifo10Groups, samples.fifo1),
    fifo1Group: compare(samples.fifo1Group, samples.fifo1),
    bare10: compare(samples.bare10, samples.bare1),
  };
}

const warm = await measureWarmRequests();
const direct = await measureBatches(endpoint);
// moto answers in a few milliseconds on this machine's own cores, where AWS answers over the network: with
// every call held for a modelled round trip, a batch shows how much of its records' waiting overlaps.
const proxy = await FaultProxy.start(endpoint);
proxy.inject({ operation: /^secretsmanager\./, fault: faults.delay(modelledLatency.secretsmanager) });
proxy.inject({ operation: /^dynamodb\./, fault: faults.delay(modelledLatency.dynamodb) });
const modelled = await measureBatches(proxy.endpoint);
await proxy.stop();

process.send?.({ warm, batches: { direct, modelled, modelledLatency } });
