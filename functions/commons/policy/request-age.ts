import { SecretUpdateStaleError, SecretUpdateValidationError } from '../errors.ts';

/**
 * Refuses a request sent more than maxAgeSeconds ago. Past the idempotency expiry a redelivered update has
 * no record left to replay, so applying it again could make an old value current.
 * `sentAt` undefined (Step Functions input carries no send time) skips the check.
 */
export function assertRequestIsFresh(sentAt: Date | undefined, now: Date, maxAgeSeconds: number): void {
  if (sentAt === undefined) return;
  if (Number.isNaN(sentAt.getTime())) {
    // An age that cannot be known is refused rather than skipped: the check exists for safety.
    throw new SecretUpdateValidationError('the send time of the request is not a valid time');
  }
  const ageMilliseconds = now.getTime() - sentAt.getTime();
  if (ageMilliseconds > maxAgeSeconds * 1000) {
    throw new SecretUpdateStaleError(
      `the request was sent more than MAX_REQUEST_AGE_SECONDS (${maxAgeSeconds}) ago and is refused`,
    );
  }
}
