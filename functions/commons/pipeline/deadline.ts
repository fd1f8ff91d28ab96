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

/**
 * Of the answer reserve, what cleanup may still use: Powertools deleting the lock of a write that failed (so
 * that a redelivery need not wait for the lock to expire). Cleanup ends this long before the deadline.
 */
export const CLEANUP_ALLOWANCE_MILLISECONDS = ANSWER_RESERVE_MILLISECONDS / 2;

type LambdaDeadline = { getRemainingTimeInMillis: () => number } | undefined;

/** The time limits of one delivery, from its invocation's deadline. */
export interface DeliveryDeadline {
  /**
   * Aborts the delivery's AWS calls, and the SDK's retries between them, when the answer reserve begins: a
   * throttled or stalled service then ends in a retryable error the trigger sees, not a killed invocation.
   */
  readonly signal: AbortSignal;
  /** When cleanup must be over (epoch milliseconds): the deadline less what the answer itself needs. */
  readonly cleanupEndsAt: number;
}

/** The delivery's limits; undefined without a Lambda context (no deadline known). */
export function deliveryDeadline(lambdaContext: LambdaDeadline): DeliveryDeadline | undefined {
  if (lambdaContext === undefined) return undefined;
  const remaining = lambdaContext.getRemainingTimeInMillis();
  return {
    signal: AbortSignal.timeout(Math.max(1, remaining - ANSWER_RESERVE_MILLISECONDS)),
    cleanupEndsAt:
      Date.now() + Math.max(1, remaining - ANSWER_RESERVE_MILLISECONDS + CLEANUP_ALLOWANCE_MILLISECONDS),
  };
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
 * The deadline of the delivery being written, for calls made by code that does not take a signal: the
 * Powertools idempotency layer's DynamoDB calls. Scoped per delivery, as parallel records have their own.
 */
const deliveryScope = new AsyncLocalStorage<DeliveryDeadline>();

export const runWithDeadline = <T>(
  deadline: DeliveryDeadline | undefined,
  work: () => Promise<T>,
): Promise<T> => (deadline === undefined ? work() : deliveryScope.run(deadline, work));

/**
 * The abort signal for a call made now within the current delivery; undefined outside one. Work gets the
 * delivery's signal. Cleanup, and any call made once that signal has fired, gets until the cleanup end: a
 * lock release that began in time must not be cut off at the signal, or Powertools would report its abort in
 * place of the write's own error (a missing secret would read as a retryable store failure).
 */
export function signalForCallNow(purpose: 'work' | 'cleanup'): AbortSignal | undefined {
  const deadline = deliveryScope.getStore();
  if (deadline === undefined) return undefined;
  if (purpose === 'work' && !deadline.signal.aborted) return deadline.signal;
  return AbortSignal.timeout(Math.max(1, deadline.cleanupEndsAt - Date.now()));
}
