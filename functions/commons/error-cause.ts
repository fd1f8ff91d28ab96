import { inspect } from 'node:util';

/**
 * A copy of a recognised failure (an AWS SDK or Powertools error) to chain as `cause`: its name, message,
 * request metadata and the same copy of its own cause. Left behind: the raw HTTP response (whose socket
 * holds references to the async context of whichever request opened it, secret masks included), stored
 * idempotency records and anything else that a debugger or `util.inspect` would walk into.
 */
export function detachedCause(failure: unknown, depth = 0): Error | undefined {
  if (!(failure instanceof Error) || depth > 3) return undefined;
  const nested = detachedCause(failure.cause, depth + 1);
  const copy = new Error(failure.message, nested === undefined ? undefined : { cause: nested });
  Object.defineProperty(copy, 'name', {
    value: failure.name,
    enumerable: false,
    writable: true,
    configurable: true,
  });
  if (failure.stack !== undefined) copy.stack = failure.stack;
  const metadata = (failure as { $metadata?: Record<string, unknown> }).$metadata;
  if (metadata !== undefined) {
    const { httpStatusCode, requestId, attempts, totalRetryDelay } = metadata;
    Object.defineProperty(copy, '$metadata', {
      value: { httpStatusCode, requestId, attempts, totalRetryDelay },
      enumerable: false,
    });
  }
  return copy;
}

/** Something thrown that is not an Error (a string, an object), as a short text the masking logger can take. */
export function describeThrownValue(value: unknown): { readonly thrownValue: string } {
  return { thrownValue: inspect(value, { depth: 2, breakLength: Number.POSITIVE_INFINITY }).slice(0, 2_000) };
}
