import { detachedCause } from '../error-cause.ts';
import {
  SecretNotFoundError,
  SecretUpdateConflictError,
  type SecretUpdateError,
  SecretUpdateRejectedError,
  SecretUpdateRetryableError,
} from '../errors.ts';

// Classified by error name, never by HTTP status: moto answers 404 where AWS answers 400.
const REJECTED_MESSAGES: Readonly<Record<string, string>> = {
  InvalidRequestException:
    'Secrets Manager refused the request (InvalidRequestException): the secret may be marked for deletion',
  InvalidParameterException: 'Secrets Manager refused a parameter (InvalidParameterException)',
  ValidationException: 'Secrets Manager refused a parameter (ValidationException)',
  LimitExceededException:
    'Secrets Manager refused the update (LimitExceededException): the secret has reached its version quota',
  EncryptionFailure: 'Secrets Manager could not encrypt the value with the KMS key (EncryptionFailure)',
  DecryptionFailure: 'Secrets Manager could not use the KMS key (DecryptionFailure)',
  KMSInvalidStateException: 'the KMS key cannot be used in its current state (KMSInvalidStateException)',
  AccessDeniedException: 'access denied to the secret or its KMS key (AccessDeniedException)',
  AccessDenied: 'access denied to the secret or its KMS key (AccessDenied)',
  UnrecognizedClientException: 'the credentials were not recognised (UnrecognizedClientException)',
  InvalidSignatureException: 'the request signature was refused (InvalidSignatureException)',
  MalformedPolicyDocumentException: 'Secrets Manager refused the request (MalformedPolicyDocumentException)',
  PreconditionNotMetException: 'Secrets Manager refused the request (PreconditionNotMetException)',
};

/** Errors that are known to be transient: retried by the trigger, not reported as unexpected. */
const KNOWN_TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'InternalServiceError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  // The invocation's deadline came near (see pipeline/deadline.ts): the delivery is retried later.
  'AbortError',
  'ExpiredTokenException',
  'ProvisionedThroughputExceededException',
]);
const KNOWN_TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Whether a failure from an AWS call is a known transient one (throttling, 5xx, network), by name or code. */
export function isKnownTransientFailure(failure: unknown): boolean {
  if (!(failure instanceof Error)) return false;
  const code = (failure as { code?: unknown }).code;
  return (
    KNOWN_TRANSIENT_NAMES.has(failure.name) || (typeof code === 'string' && KNOWN_TRANSIENT_CODES.has(code))
  );
}

/** Maps an error thrown by an UpdateSecret call to the product's error classes. */
export function classifySecretsManagerError(failure: unknown): SecretUpdateError {
  const name = failure instanceof Error ? failure.name : '';
  const options = { cause: detachedCause(failure) };
  if (name === 'ResourceNotFoundException') {
    return new SecretNotFoundError('Secrets Manager cannot find the secret', options);
  }
  if (name === 'ResourceExistsException') {
    return new SecretUpdateConflictError(
      'the ClientRequestToken is already used by a version of this secret with a different value',
      options,
    );
  }
  const rejectedMessage = REJECTED_MESSAGES[name];
  if (rejectedMessage !== undefined) {
    return new SecretUpdateRejectedError(rejectedMessage, options);
  }
  if (isKnownTransientFailure(failure)) {
    return new SecretUpdateRetryableError(
      `Secrets Manager call failed transiently (${safeName(name)})`,
      options,
    );
  }
  return new SecretUpdateRetryableError(`Secrets Manager call failed unexpectedly (${safeName(name)})`, {
    cause: failure, // the error keeps it out of `cause` and detaches it for the log
    unexpected: true,
  });
}

const SAFE_ERROR_NAME = /^[A-Za-z0-9_.]{1,100}$/;
/** An error name is shown only when it looks like one (it is text from the wire or from a library). */
export const safeName = (name: string): string => (SAFE_ERROR_NAME.test(name) ? name : 'unnamed error');
