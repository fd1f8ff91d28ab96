import { describe, expect, it } from 'vitest';
import {
  assertTimeToStart,
  runWithDeadline,
  START_RESERVE_MILLISECONDS,
  signalForCallNow,
} from '../../../../functions/commons/pipeline/deadline.ts';

const remaining = (milliseconds: number) => ({ getRemainingTimeInMillis: () => milliseconds });

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
    expect(signalForCallNow()).toBeUndefined();
  });

  it("gives a call the delivery's own deadline signal while it has not fired", async () => {
    // Prepare
    const deadline = new AbortController();

    // Act
    const signal = await runWithDeadline(deadline.signal, async () => signalForCallNow());

    // Assess
    expect(signal).toBe(deadline.signal);
  });

  it('gives a call made after the deadline fired a short allowance of its own, for cleanup', async () => {
    // Prepare
    const deadline = new AbortController();
    deadline.abort();

    // Act
    const signal = await runWithDeadline(deadline.signal, async () => signalForCallNow());

    // Assess
    expect(signal).toBeDefined();
    expect(signal).not.toBe(deadline.signal);
    expect(signal?.aborted).toBe(false);
  });
});
