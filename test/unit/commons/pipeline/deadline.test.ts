import { describe, expect, it } from 'vitest';
import {
  assertTimeToStart,
  CLEANUP_ALLOWANCE_MILLISECONDS,
  type DeliveryDeadline,
  runWithDeadline,
  START_RESERVE_MILLISECONDS,
  signalForCallNow,
} from '../../../../functions/commons/pipeline/deadline.ts';

const remaining = (milliseconds: number) => ({ getRemainingTimeInMillis: () => milliseconds });

/** A delivery whose signal has (or has not) fired, with cleanup allowed for a while yet. */
const deadlineOf = (signal: AbortSignal): DeliveryDeadline => ({
  signal,
  cleanupEndsAt: Date.now() + CLEANUP_ALLOWANCE_MILLISECONDS,
});

describe('the invocation deadline', () => {
  it('lets a write start while more than the start reserve is left, and refuses it, retryably, after', () => {
    // Act
    const inTime = () => assertTimeToStart(remaining(START_RESERVE_MILLISECONDS));
    const late = () => assertTimeToStart(remaining(START_RESERVE_MILLISECONDS - 1));

    // Assess
    expect(inTime).not.toThrow();
    expect(late).toThrow(expect.objectContaining({ name: 'SecretUpdateRetryableError', retryable: true }));
  });

  it('sets no limit without a Lambda context', () => {
    // Act and assess
    expect(() => assertTimeToStart(undefined)).not.toThrow();
    expect(signalForCallNow('work')).toBeUndefined();
  });

  it("gives work the delivery's own signal while it has not fired", async () => {
    // Prepare
    const signal = new AbortController().signal;

    // Act
    const given = await runWithDeadline(deadlineOf(signal), async () => signalForCallNow('work'));

    // Assess
    expect(given).toBe(signal);
  });

  it('gives cleanup, and work after the signal fired, time of its own up to the cleanup end', async () => {
    // Prepare
    const live = new AbortController().signal;
    const fired = AbortSignal.abort();

    // Act
    const cleanup = await runWithDeadline(deadlineOf(live), async () => signalForCallNow('cleanup'));
    const lateWork = await runWithDeadline(deadlineOf(fired), async () => signalForCallNow('work'));

    // Assess
    for (const signal of [cleanup, lateWork]) {
      expect(signal).toBeDefined();
      expect(signal).not.toBe(live);
      expect(signal?.aborted).toBe(false);
    }
  });
});
