import { describe, expect, it } from 'vitest';
import { detachedCause } from '../../../functions/commons/error-cause.ts';

describe('detachedCause', () => {
  it('copies name, message, stack, request metadata and the cause chain, and nothing else', () => {
    // Prepare
    const root = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    const failure = Object.assign(new Error('Rate exceeded', { cause: root }), {
      name: 'ThrottlingException',
      $metadata: {
        httpStatusCode: 400,
        requestId: 'req-1',
        attempts: 3,
        totalRetryDelay: 250,
        extendedRequestId: 'x',
      },
      $response: { body: { socket: { store: ['a-secret-held-by-the-socket'] } } },
      existingRecord: { data: 'stored' },
    });

    // Act
    const copy = detachedCause(failure);

    // Assess
    expect(copy).toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      stack: failure.stack,
    });
    expect(copy).not.toHaveProperty('$response');
    expect(copy).not.toHaveProperty('existingRecord');
    expect((copy as { $metadata?: unknown }).$metadata).toEqual({
      httpStatusCode: 400,
      requestId: 'req-1',
      attempts: 3,
      totalRetryDelay: 250,
    });
    expect(copy?.cause).toMatchObject({ name: 'TimeoutError', message: 'socket hang up' });
    expect(Object.keys(copy ?? {})).toEqual([]);
  });

  it('gives nothing for a thrown value that is not an Error, and stops at a depth of four', () => {
    // Prepare
    let deep: Error = new Error('level 0');
    for (let level = 1; level <= 6; level++) deep = new Error(`level ${level}`, { cause: deep });

    // Act
    const copy = detachedCause(deep);

    // Assess
    expect(detachedCause('a string')).toBeUndefined();
    let depth = 0;
    for (let link: unknown = copy; link instanceof Error; link = link.cause) depth += 1;
    expect(depth).toBe(4);
  });
});
