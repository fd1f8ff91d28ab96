import { describeThrownValue, detachedCause } from './error-cause.ts';

/**
 * The errors a secret update can end in. Every class has a stable `name` (Step Functions `Retry`/`Catch` and
 * log queries match on it) and a `retryable` flag that says whether delivering the same request again can
 * succeed.
 *
 * Messages name the field and the rule, never a value. Nothing from the request is stored in an enumerable
 * property: the Lambda runtime prints thrown errors itself, outside our masking logger. `cause` is
 * non-enumerable (it is installed by the `Error` constructor) and only ever holds a recognised AWS SDK or
 * Powertools error, never a parser's or schema library's error, nor anything unrecognised (those may quote
 * their input).
 */
export abstract class SecretUpdateError extends Error {
  abstract override readonly name: SecretUpdateErrorName;
  abstract readonly retryable: boolean;
}

/** The request breaks the contract; no AWS call was made. */
export class SecretUpdateValidationError extends SecretUpdateError {
  override readonly name = 'SecretUpdateValidationError';
  readonly retryable = false;
}

/** The secret or KMS key is outside the configured allowlists; no AWS call was made. */
export class SecretUpdateForbiddenError extends SecretUpdateError {
  override readonly name = 'SecretUpdateForbiddenError';
  readonly retryable = false;
}

/** The request is older than MAX_REQUEST_AGE_SECONDS; applying it could bring an old value back. */
export class SecretUpdateStaleError extends SecretUpdateError {
  override readonly name = 'SecretUpdateStaleError';
  readonly retryable = false;
}

/** Secrets Manager has no such secret. */
export class SecretNotFoundError extends SecretUpdateError {
  override readonly name = 'SecretNotFoundError';
  readonly retryable = false;
}

/** The idempotency key or token was already used for a different update. Nothing was changed. */
export class SecretUpdateConflictError extends SecretUpdateError {
  override readonly name = 'SecretUpdateConflictError';
  readonly retryable = false;
}

/** Secrets Manager refused the update for a reason a retry cannot fix (deletion, KMS, access, quota). */
export class SecretUpdateRejectedError extends SecretUpdateError {
  override readonly name = 'SecretUpdateRejectedError';
  readonly retryable = false;
}

/** A transient failure (throttling, 5xx, network, the idempotency store, a duplicate in progress). */
export class SecretUpdateRetryableError extends SecretUpdateError {
  override readonly name = 'SecretUpdateRetryableError';
  readonly retryable = true;
  /** True when nothing recognised the underlying failure: it is retried, and logged as unexpected. */
  readonly unexpected: boolean;
  readonly #unrecognisedFailure: unknown;

  constructor(message: string, options?: { readonly cause?: unknown; readonly unexpected?: boolean }) {
    const unexpected = options?.unexpected ?? false;
    // An unrecognised failure may quote input in its message: it is kept out of `cause` (which the runtime
    // and debuggers print) and only handed to the masking logger.
    super(message, unexpected ? undefined : options);
    this.unexpected = unexpected;
    this.#unrecognisedFailure = unexpected
      ? (detachedCause(options?.cause) ?? describeThrownValue(options?.cause))
      : undefined;
  }

  /** The unrecognised failure behind an unexpected error, for the masking logger only. */
  unrecognisedFailure(): unknown {
    return this.#unrecognisedFailure;
  }
}

export type SecretUpdateErrorName =
  | 'SecretUpdateValidationError'
  | 'SecretUpdateForbiddenError'
  | 'SecretUpdateStaleError'
  | 'SecretNotFoundError'
  | 'SecretUpdateConflictError'
  | 'SecretUpdateRejectedError'
  | 'SecretUpdateRetryableError';

/** A setting read from the environment is missing or invalid: the function cannot start. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}
