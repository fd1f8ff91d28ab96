import { type SecretUpdateError, SecretUpdateRetryableError } from '../errors.ts';
import { UPDATE_LOG_MESSAGES } from '../logging/log-fields.ts';
import { logger } from '../logging/logger.ts';
import type { Trigger } from './delivery.ts';
import type { SecretUpdateResult } from './secret-update-result.ts';

/** The documented fields of the one log line per request, filled in as the pipeline learns them. */
export interface UpdateLogFacts {
  readonly trigger: Trigger;
  readonly correlationId: string;
  secretId?: string;
  clientRequestToken?: string;
  idempotencyKey?: string;
}

export function logUpdateApplied(facts: UpdateLogFacts, result: SecretUpdateResult): void {
  logger.info(UPDATE_LOG_MESSAGES.applied, {
    ...facts,
    outcome: result.outcome,
    ...(result.versionId === undefined ? {} : { versionId: result.versionId }),
  });
}

export function logUpdateFailed(facts: UpdateLogFacts, error: SecretUpdateError): void {
  const fields = { ...facts, errorName: error.name, retryable: error.retryable, errorMessage: error.message };
  if (error instanceof SecretUpdateRetryableError && error.unexpected) {
    // Only an unrecognised failure is logged whole (masked): it is what needs a look.
    logger.error(UPDATE_LOG_MESSAGES.unexpected, { ...fields, error: error.unrecognisedFailure() });
  } else if (error.retryable) {
    logger.warn(UPDATE_LOG_MESSAGES.retried, fields);
  } else {
    logger.warn(UPDATE_LOG_MESSAGES.refused, fields);
  }
}
