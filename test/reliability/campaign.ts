import { randomUUID } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import { vi } from 'vitest';
import { deriveClientRequestToken } from '../../functions/commons/request/identity.ts';
import { fakeLambdaContext } from '../../infra/local/lambda-context.ts';
import { type Fault, type FaultProxy, faults } from '../support/fault-proxy.ts';
import { createTestSecret, listVersions, type TestSecret } from '../support/local-aws.ts';
import { eventBridgeEvent, sqsEventOf } from '../support/sample-events.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

/**
 * The reliability campaign: many logical updates over several secrets, each delivered one or more times,
 * sometimes concurrently, in random order, under a random mix of faults injected by the proxy, with the
 * triggers' own redelivery rules. Every random choice comes from one seeded generator: a failing seed replays.
 */
export interface CampaignSettings {
  readonly seed: number;
  readonly logicalUpdates: number;
  readonly secrets: number;
  /** Secrets whose updates are delivered one update at a time, so that their final value is defined. */
  readonly orderedSecrets: number;
  /** Probability that a delivery meets a fault. */
  readonly faultRate: number;
  readonly concurrency: number;
}

type Trigger = 'eventbridge' | 'sqs' | 'step-functions';

interface LogicalUpdate {
  readonly secret: TestSecret;
  readonly ordered: boolean;
  readonly trigger: Trigger;
  readonly value: string;
  readonly idempotencyKey: string;
  readonly token: string;
  readonly copies: number;
  /** A delivery of it was reported successful to its trigger. */
  reportedSuccess: boolean;
  /** A delivery of it ended where the trigger puts failures (dead-letter queue, on-failure destination, Catch). */
  failedVisibly: boolean;
}

export interface CampaignFigures {
  readonly seed: number;
  readonly logicalUpdates: number;
  readonly deliveries: number;
  readonly faultsInjected: Record<string, number>;
  readonly applied: number;
  /** Applied, yet every delivery the trigger made was reported failed (the response was lost): a redrive replays it. */
  readonly appliedButDeadLettered: number;
  /** Not applied, and given up where the trigger puts failures. */
  readonly failedVisibly: number;
  readonly duplicateVersions: number;
  readonly lost: number;
  readonly orderViolations: number;
}

/** Redeliveries each trigger makes before it gives a failure up to its failure destination. */
const MAX_ATTEMPTS: Record<Trigger, number> = { eventbridge: 3, sqs: 5, 'step-functions': 4 };
/** Lambda's async retries come a minute apart; SQS and the state machine later than the function timeout. */
const REDELIVERY_DELAY_MILLISECONDS = 61_000;
const FUNCTION_DEADLINE_MILLISECONDS = 30_000;
/** Share of delivery waves during which the proxy refuses connections for a short window. */
const REFUSAL_RATE = 0.05;
const REFUSAL_KIND = 'connections refused (windows)';

/** A small seeded generator (mulberry32): the campaign is replayed exactly from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export async function runCampaign(settings: CampaignSettings, proxy: FaultProxy): Promise<CampaignFigures> {
  const random = seededRandom(settings.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const runtime = createTestRuntime({ endpoint: proxy.endpoint });
  let deliveries = 0;

  const secrets: TestSecret[] = [];
  for (let index = 0; index < settings.secrets; index++)
    secrets.push(await createTestSecret(`campaign-${index}`));
  const updates: LogicalUpdate[] = Array.from({ length: settings.logicalUpdates }, (_, index) => {
    const secretIndex = Math.floor(random() * settings.secrets);
    const secret = secrets[secretIndex] as TestSecret;
    const idempotencyKey = `campaign-${settings.seed}-${index}-${randomUUID()}`;
    return {
      secret,
      ordered: secretIndex < settings.orderedSecrets,
      trigger: pick<Trigger>(['eventbridge', 'sqs', 'step-functions']),
      value: `campaign-value-${index}-${randomUUID()}`,
      idempotencyKey,
      token: deriveClientRequestToken({ secretId: secret.name, idempotencyKey }),
      copies: 1 + Math.floor(random() * 4),
      reportedSuccess: false,
      failedVisibly: false,
    };
  });

  const randomFault = (): Fault | undefined => {
    if (random() >= settings.faultRate) return undefined;
    return pick([
      faults.throttling(),
      faults.internalError(),
      faults.limitExceeded(),
      faults.loseResponse(),
      faults.reset(),
      faults.delay(20 + Math.floor(random() * 80)),
      faults.dynamoDbFailure(),
    ]);
  };
  const injectFault = () => {
    const fault = randomFault();
    if (fault === undefined) return;
    const operation =
      fault.kind === 'error' && fault.type === 'InternalServerError'
        ? pick(['dynamodb.PutItem', 'dynamodb.UpdateItem', 'dynamodb.DeleteItem'])
        : fault.kind === 'delay' || fault.kind === 'reset'
          ? pick(['secretsmanager.UpdateSecret', 'dynamodb.PutItem', 'dynamodb.UpdateItem'])
          : 'secretsmanager.UpdateSecret';
    proxy.inject({ operation, fault, times: 1 + Math.floor(random() * 3) });
  };

  /** One invocation carrying one delivery; resolves to whether the trigger saw success, and whether to retry. */
  const deliverOnce = async (update: LogicalUpdate): Promise<{ ok: boolean; retryable: boolean }> => {
    deliveries += 1;
    injectFault();
    const context = fakeLambdaContext(`campaign-${update.trigger}`, FUNCTION_DEADLINE_MILLISECONDS);
    const request = {
      secretId: update.secret.name,
      secretString: update.value,
      idempotencyKey: update.idempotencyKey,
    };
    try {
      if (update.trigger === 'eventbridge') {
        await runtime.eventbridge(eventBridgeEvent(request), context);
      } else if (update.trigger === 'step-functions') {
        await runtime.stepFunctions(request, context);
      } else {
        const response = await runtime.sqs(sqsEventOf([request]) as SQSEvent, context);
        if (response.batchItemFailures.length > 0) return { ok: false, retryable: true };
      }
      return { ok: true, retryable: false };
    } catch (error) {
      return { ok: false, retryable: (error as { retryable?: boolean }).retryable === true };
    }
  };

  // Refusing is proxy-wide: one window at a time, whichever run (ordered or not) opened it.
  let refusing = false;
  let refusals = 0;
  const maybeRefuseConnections = async () => {
    if (refusing || random() >= REFUSAL_RATE) return;
    refusing = true;
    refusals += 1;
    const windowMilliseconds = 20 + Math.floor(random() * 130);
    await proxy.refuseConnections();
    await new Promise((resolve) => setTimeout(resolve, windowMilliseconds));
    await proxy.acceptConnections();
    refusing = false;
  };

  /** Delivers all copies of some updates, then redelivers failures as each trigger would, round by round. */
  const deliverAll = async (batch: LogicalUpdate[]) => {
    let pending = batch.flatMap((update) =>
      Array.from({ length: update.copies }, () => ({ update, attempts: 0 })),
    );
    while (pending.length > 0) {
      pending.sort(() => random() - 0.5);
      const next: typeof pending = [];
      for (let start = 0; start < pending.length; start += settings.concurrency) {
        const wave = pending.slice(start, start + settings.concurrency);
        const refusal = maybeRefuseConnections();
        const outcomes = await Promise.all(wave.map(({ update }) => deliverOnce(update)));
        await refusal;
        wave.forEach((delivery, index) => {
          const outcome = outcomes[index] as { ok: boolean; retryable: boolean };
          const { update } = delivery;
          delivery.attempts += 1;
          if (outcome.ok) {
            update.reportedSuccess = true;
            return;
          }
          // Step Functions retries only what its Retry names; the queues and Lambda retry every failure.
          const redelivered = update.trigger === 'step-functions' ? outcome.retryable : true;
          if (redelivered && delivery.attempts < MAX_ATTEMPTS[update.trigger]) next.push(delivery);
          else update.failedVisibly = true;
        });
      }
      pending = next;
      proxy.clear();
      // The next redelivery comes after the failed invocations' deadlines.
      vi.setSystemTime(Date.now() + REDELIVERY_DELAY_MILLISECONDS);
    }
  };

  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    const unordered = updates.filter((update) => !update.ordered);
    const ordered = updates.filter((update) => update.ordered);
    const unorderedRun = deliverAll(unordered);
    for (const update of ordered) await deliverAll([update]);
    await unorderedRun;
  } finally {
    proxy.clear();
    vi.useRealTimers();
  }

  const figures = await assess(settings, updates, secrets, deliveries, proxy);
  return refusals === 0
    ? figures
    : { ...figures, faultsInjected: { ...figures.faultsInjected, [REFUSAL_KIND]: refusals } };
}

async function assess(
  settings: CampaignSettings,
  updates: LogicalUpdate[],
  secrets: TestSecret[],
  deliveries: number,
  proxy: FaultProxy,
): Promise<CampaignFigures> {
  let applied = 0;
  let appliedButDeadLettered = 0;
  let failedVisibly = 0;
  let lost = 0;
  let duplicateVersions = 0;
  let orderViolations = 0;
  for (const secret of secrets) {
    const versions = await listVersions(secret.name);
    const ofSecret = updates.filter((update) => update.secret === secret);
    const tokens = new Set(ofSecret.map((update) => update.token));
    // One initial version (created with the secret), then only versions whose id is an update's token.
    duplicateVersions += versions.filter((version) => !tokens.has(version.versionId)).length - 1;
    const present = new Set(versions.map((version) => version.versionId));
    for (const update of ofSecret) {
      if (present.has(update.token)) {
        applied += 1;
        if (update.failedVisibly && !update.reportedSuccess) appliedButDeadLettered += 1;
      }
      // Lost: reported as applied but absent, or neither applied nor given up visibly.
      else if (update.reportedSuccess || !update.failedVisibly) lost += 1;
      else failedVisibly += 1;
    }
    if (ofSecret.some((update) => update.ordered)) {
      const lastApplied = [...ofSecret].reverse().find((update) => present.has(update.token));
      const current = versions.find((version) => version.stages.includes('AWSCURRENT'));
      if (lastApplied !== undefined && current?.versionId !== lastApplied.token) orderViolations += 1;
    }
  }
  const faultsInjected: Record<string, number> = {};
  for (const [key, count] of proxy.injected) {
    const kind = key.split(' ')[1] ?? key;
    faultsInjected[kind] = (faultsInjected[kind] ?? 0) + count;
  }
  return {
    seed: settings.seed,
    logicalUpdates: updates.length,
    deliveries,
    faultsInjected,
    applied,
    appliedButDeadLettered,
    failedVisibly,
    duplicateVersions,
    lost,
    orderViolations,
  };
}

/** The figures as a table, for the console. */
export function formatFigures(figures: CampaignFigures): string {
  const rows: [string, string][] = [
    ['seed (RELIABILITY_SEED to replay)', String(figures.seed)],
    ['logical updates', String(figures.logicalUpdates)],
    ['deliveries (redeliveries included)', String(figures.deliveries)],
    ...Object.entries(figures.faultsInjected)
      .sort()
      .map(([kind, count]): [string, string] => [`faults injected: ${kind}`, String(count)]),
    ['updates applied', String(figures.applied)],
    [
      '  of which dead-lettered all the same (applied, yet no delivery saw success)',
      String(figures.appliedButDeadLettered),
    ],
    ['updates not applied, failed visibly (redelivered, then dead-lettered)', String(figures.failedVisibly)],
    ['duplicate versions created (must be 0)', String(figures.duplicateVersions)],
    ['updates lost (must be 0)', String(figures.lost)],
    ['ordered secrets whose AWSCURRENT is not the last applied (must be 0)', String(figures.orderViolations)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value.padStart(8)}`).join('\n');
}
