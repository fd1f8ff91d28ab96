import { SecretUpdateStaleError, SecretUpdateValidationError } from '../errors.ts';

/** How far ahead of this function's clock a producer's clock may run. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

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
  if (ageMilliseconds < -MAX_CLOCK_SKEW_SECONDS * 1000) {
    // A producer can set an event's time (PutEvents Time): one far ahead would pass the age check forever.
    throw new SecretUpdateValidationError(
      `the send time of the request is more than ${MAX_CLOCK_SKEW_SECONDS} seconds in the future`,
    );
  }
  if (ageMilliseconds > maxAgeSeconds * 1000) {
    throw new SecretUpdateStaleError(
      `the request was sent more than MAX_REQUEST_AGE_SECONDS (${maxAgeSeconds}) ago and is refused`,
    );
  }
}
