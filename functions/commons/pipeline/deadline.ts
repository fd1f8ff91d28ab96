import { AsyncLocalStorage } from 'node:async_hooks';
import { SecretUpdateRetryableError } from '../errors.ts';

/** Time kept back from the invocation's deadline to answer the trigger (a batch response, a named error). */
export const ANSWER_RESERVE_MILLISECONDS = 2_000;

/**
 * The least time left, beyond the answer reserve, in which a write is started: its lock, UpdateSecret and
 * completion take a few hundred milliseconds on AWS. A record that would start later (an SQS record queued
 * behind BATCH_CONCURRENCY others) is returned for redelivery at once, without an AWS call.
 */
export const START_RESERVE_MILLISECONDS = ANSWER_RESERVE_MILLISECONDS + 1_000;

type LambdaDeadline = { getRemainingTimeInMillis: () => number } | undefined;

/**
 * A signal that aborts a delivery's AWS calls, and the SDK's retries between them, shortly before the
 * invocation's deadline: a throttled or stalled service then ends in a retryable error the trigger sees, not
 * in a killed invocation. Undefined without a Lambda context (no deadline known).
 */
export function deadlineSignal(lambdaContext: LambdaDeadline): AbortSignal | undefined {
  if (lambdaContext === undefined) return undefined;
  return AbortSignal.timeout(
    Math.max(1, lambdaContext.getRemainingTimeInMillis() - ANSWER_RESERVE_MILLISECONDS),
  );
}

/** Refuses to start a write that could not finish before the answer reserve. */
export function assertTimeToStart(lambdaContext: LambdaDeadline): void {
  if (lambdaContext === undefined) return;
  if (lambdaContext.getRemainingTimeInMillis() < START_RESERVE_MILLISECONDS) {
    throw new SecretUpdateRetryableError(
      'not started: too little of the invocation was left to apply it (returned for redelivery)',
    );
  }
}

/**
 * The deadline signal of the delivery being written, for calls made by code that does not take one: the
 * Powertools idempotency layer's DynamoDB calls. Scoped per delivery, as parallel records have their own.
 */
const deliveryDeadline = new AsyncLocalStorage<AbortSignal>();

export const runWithDeadline = <T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> =>
  signal === undefined ? work() : deliveryDeadline.run(signal, work);

/**
 * Once the deadline signal has fired, a call still gets this long, inside the answer reserve: what runs then
 * is cleanup, such as Powertools deleting the lock of a write that failed, so that a redelivery need not wait
 * for the lock to expire.
 */
export const CLEANUP_ALLOWANCE_MILLISECONDS = ANSWER_RESERVE_MILLISECONDS / 2;

/** The abort signal for a call made now within the current delivery; undefined outside one. */
export function signalForCallNow(): AbortSignal | undefined {
  const deadline = deliveryDeadline.getStore();
  if (deadline === undefined) return undefined;
  return deadline.aborted ? AbortSignal.timeout(CLEANUP_ALLOWANCE_MILLISECONDS) : deadline;
}
