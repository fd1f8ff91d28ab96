/** Time kept back from the invocation's deadline to answer the trigger (a batch response, a named error). */
export const ANSWER_RESERVE_MILLISECONDS = 2_000;

/**
 * A signal that aborts a delivery's Secrets Manager calls, and the SDK's retries between them, shortly before
 * the invocation's deadline: a throttled service then ends in a retryable error the trigger sees, not in a
 * killed invocation. Undefined without a Lambda context (no deadline known).
 */
export function deadlineSignal(
  lambdaContext: { getRemainingTimeInMillis: () => number } | undefined,
): AbortSignal | undefined {
  if (lambdaContext === undefined) return undefined;
  return AbortSignal.timeout(
    Math.max(1, lambdaContext.getRemainingTimeInMillis() - ANSWER_RESERVE_MILLISECONDS),
  );
}
