import { describe, expect, it } from 'vitest';
import { SecretUpdateStaleError } from '../../../../functions/commons/errors.ts';
import { assertRequestIsFresh } from '../../../../functions/commons/policy/request-age.ts';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const sentAgo = (milliseconds: number): Date => new Date(NOW.getTime() - milliseconds);

describe('assertRequestIsFresh', () => {
  it('passes a request exactly at the maximum age', () => {
    expect(() => assertRequestIsFresh(sentAgo(60_000), NOW, 60)).not.toThrow();
  });

  it('refuses a request one millisecond older than the maximum age', () => {
    // Act
    const attempt = () => assertRequestIsFresh(sentAgo(60_001), NOW, 60);

    // Assess
    expect(attempt).toThrow(SecretUpdateStaleError);
    expect(attempt).toThrow(expect.objectContaining({ name: 'SecretUpdateStaleError', retryable: false }));
    expect(attempt).toThrow(/MAX_REQUEST_AGE_SECONDS \(60\)/);
  });

  it('skips the check when the send time is unknown', () => {
    expect(() => assertRequestIsFresh(undefined, NOW, 1)).not.toThrow();
  });

  it('passes a request sent just now', () => {
    expect(() => assertRequestIsFresh(NOW, NOW, 1)).not.toThrow();
  });
});

describe('assertRequestIsFresh with an invalid send time', () => {
  it('refuses an invalid send time as a validation error instead of skipping the check', () => {
    // Act
    const check = () => assertRequestIsFresh(new Date(Number.NaN), new Date(), 60);

    // Assess
    expect(check).toThrow(expect.objectContaining({ name: 'SecretUpdateValidationError' }));
  });
});
