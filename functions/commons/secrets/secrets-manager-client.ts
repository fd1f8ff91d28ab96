import { SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken, StandardRetryToken } from '@smithy/types';

// The SDK classifies LimitExceededException as throttling and retries it, but from UpdateSecret it means the
// version quota is reached: a retry cannot succeed, it only delays the failure and adds calls.
const NEVER_RETRIED_ERROR_NAMES = new Set(['LimitExceededException']);

/** The SDK's standard retry strategy (3 attempts), minus the errors that a retry cannot fix. */
export class UpdateSecretRetryStrategy implements RetryStrategyV2 {
  readonly #standard = new StandardRetryStrategy(3);

  acquireInitialRetryToken(retryTokenScope: string): Promise<RetryToken> {
    return this.#standard.acquireInitialRetryToken(retryTokenScope);
  }

  refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    if (NEVER_RETRIED_ERROR_NAMES.has(errorInfo.error?.name ?? '')) {
      // Rejecting the refresh makes the SDK throw the original error at once.
      return Promise.reject(new Error('not retried'));
    }
    return this.#standard.refreshRetryTokenForRetry(token as StandardRetryToken, errorInfo);
  }

  recordSuccess(token: RetryToken): void {
    this.#standard.recordSuccess(token as StandardRetryToken);
  }
}

/**
 * Timeouts of every AWS call: without them a stalled connection waits for the Lambda timeout, and the
 * invocation dies without answering (no partial batch response, no named error for a state machine).
 * Three attempts of 5 seconds stay within the function timeout (30 s by default).
 */
export const AWS_REQUEST_TIMEOUTS = {
  connectionTimeout: 3_000,
  requestTimeout: 5_000,
  // Without it Smithy only logs a warning when the request timeout passes, and goes on waiting.
  throwOnRequestTimeout: true,
} as const;

/** The Secrets Manager client the functions use; the endpoint comes from AWS_ENDPOINT_URL when set. */
export const createSecretsManagerClient = (settings: SecretsManagerClientConfig = {}): SecretsManagerClient =>
  new SecretsManagerClient({
    requestHandler: AWS_REQUEST_TIMEOUTS,
    ...settings,
    retryStrategy: new UpdateSecretRetryStrategy(),
  });
