import {
  DecryptionFailure,
  EncryptionFailure,
  InternalServiceError,
  InvalidParameterException,
  InvalidRequestException,
  LimitExceededException,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import {
  SecretNotFoundError,
  SecretUpdateConflictError,
  type SecretUpdateError,
  SecretUpdateRejectedError,
  SecretUpdateRetryableError,
} from '../../../../functions/commons/errors.ts';
import { classifySecretsManagerError } from '../../../../functions/commons/secrets/classify-secrets-manager-error.ts';
import { expectDetachedCopyOf } from '../../support/detached-cause.ts';

// Service messages can echo request data; none of it may reach the classified error's message.
const SERVICE_MESSAGE = 'CANARY-request-data: value hunter2-hunter2 was refused';
const metadata = { httpStatusCode: 400 };

const unmodelled = (name: string, httpStatusCode = 400): SecretsManagerServiceException =>
  new SecretsManagerServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
    message: SERVICE_MESSAGE,
  });

const networkError = (code: string): Error =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:4566 ${SERVICE_MESSAGE}`), { code });

type ErrorClass = abstract new (...args: never[]) => SecretUpdateError;

describe('classifySecretsManagerError', () => {
  it.each<[string, Error, ErrorClass]>([
    [
      'ResourceNotFoundException',
      new ResourceNotFoundException({ message: SERVICE_MESSAGE, $metadata: metadata }),
      SecretNotFoundError,
    ],
    [
      'ResourceExistsException',
      new ResourceExistsException({ message: SERVICE_MESSAGE, $metadata: metadata }),
      SecretUpdateConflictError,
    ],
    [
      'InvalidRequestException',
      new InvalidRequestException({ message: SERVICE_MESSAGE, $metadata: metadata }),
      SecretUpdateRejectedError,
    ],
    [
      'InvalidParameterException',
      new InvalidParameterException({ message: SERVICE_MESSAGE, $metadata: metadata }),
      SecretUpdateRejectedError,
    ],
    ['ValidationException', unmodelled('ValidationException'), SecretUpdateRejectedError],
    [
      'LimitExceededException',
      new LimitExceededException({ message: SERVICE_MESSAGE, $metadata: metadata }),
      SecretUpdateRejectedError,
    ],
    [
      'EncryptionFailure',
      new EncryptionFailure({ message: SERVICE_MESSAGE, $metadata: metadata }),
      SecretUpdateRejectedError,
    ],
    [
      'DecryptionFailure',
      new DecryptionFailure({ message: SERVICE_MESSAGE, $metadata: metadata }),
      SecretUpdateRejectedError,
    ],
    ['AccessDeniedException', unmodelled('AccessDeniedException'), SecretUpdateRejectedError],
  ])('maps %s to its permanent error, chaining it and not quoting it', (_name, failure, expectedClass) => {
    // Act
    const classified = classifySecretsManagerError(failure);

    // Assess
    expect(classified).toBeInstanceOf(expectedClass);
    expect(classified.retryable).toBe(false);
    expectDetachedCopyOf(classified.cause, failure);
    expect(classified.message).not.toContain('CANARY');
    expect(classified.message).not.toContain('hunter2');
  });

  it.each<[string, Error]>([
    ['ThrottlingException', unmodelled('ThrottlingException')],
    [
      'InternalServiceError',
      new InternalServiceError({ message: SERVICE_MESSAGE, $metadata: { httpStatusCode: 500 } }),
    ],
    ['an ECONNREFUSED network error', networkError('ECONNREFUSED')],
    ['an ETIMEDOUT network error', networkError('ETIMEDOUT')],
  ])('maps %s to a known transient retryable error, chaining it', (_label, failure) => {
    // Act
    const classified = classifySecretsManagerError(failure);

    // Assess
    expect(classified).toBeInstanceOf(SecretUpdateRetryableError);
    expect(classified).toMatchObject({
      name: 'SecretUpdateRetryableError',
      retryable: true,
      unexpected: false,
    });
    expectDetachedCopyOf(classified.cause, failure);
    expect(classified.message).not.toContain('CANARY');
    expect(classified.message).not.toContain('hunter2');
  });

  it('classifies by name, not HTTP status: an unknown name with a 503 is retryable and unexpected', () => {
    // Act
    const classified = classifySecretsManagerError(unmodelled('SomethingUnmodelled', 503));

    // Assess
    expect(classified).toMatchObject({
      name: 'SecretUpdateRetryableError',
      retryable: true,
      unexpected: true,
    });
  });

  it('maps an unknown error name to a retryable error marked unexpected, kept out of message and cause', () => {
    // Prepare
    const failure = unmodelled('SomethingNew');

    // Act
    const classified = classifySecretsManagerError(failure);

    // Assess
    expect(classified).toBeInstanceOf(SecretUpdateRetryableError);
    expect(classified).toMatchObject({ retryable: true, unexpected: true });
    expect(classified.message).toContain('SomethingNew');
    expect(classified.message).not.toContain('CANARY');
    expect(classified.cause).toBeUndefined();
    expectDetachedCopyOf((classified as SecretUpdateRetryableError).unrecognisedFailure(), failure);
  });

  it('does not repeat an error name that does not look like one', () => {
    // Prepare
    const failure = Object.assign(new Error(SERVICE_MESSAGE), { name: 'value: hunter2-hunter2' });

    // Act
    const classified = classifySecretsManagerError(failure);

    // Assess
    expect(classified).toMatchObject({ retryable: true, unexpected: true });
    expect(classified.message).not.toContain('hunter2');
  });

  it('maps a thrown non-Error to a retryable error marked unexpected', () => {
    // Act
    const classified = classifySecretsManagerError({ message: SERVICE_MESSAGE });

    // Assess
    expect(classified).toBeInstanceOf(SecretUpdateRetryableError);
    expect(classified).toMatchObject({ retryable: true, unexpected: true });
    expect(classified.message).not.toContain('CANARY');
  });

  it('classifies by name, not by status: a 404 ResourceExistsException is still a conflict', () => {
    // Act
    const classified = classifySecretsManagerError(
      new ResourceExistsException({ message: SERVICE_MESSAGE, $metadata: { httpStatusCode: 404 } }),
    );

    // Assess
    expect(classified).toBeInstanceOf(SecretUpdateConflictError);
  });
});
