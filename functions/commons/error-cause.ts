import { maskLogValue } from './logging/masking.ts';
import { currentSecretForms } from './logging/secret-scope.ts';

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

const MAX_THROWN_VALUE_LENGTH = 2_000;

/**
 * Something thrown that is not an Error (a string, an object), as a short text for the masking logger. As
 * text or JSON, whose escapes are among the forms masking knows (util.inspect escapes quotes its own way),
 * and masked before it is cut short: a cut through a secret would leave a part that no mask recognises.
 */
export function describeThrownValue(value: unknown): { readonly thrownValue: string } {
  const masked = maskLogValue('thrownValue', textOfThrownValue(value), currentSecretForms());
  return { thrownValue: String(masked).slice(0, MAX_THROWN_VALUE_LENGTH) };
}

function textOfThrownValue(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // circular or holding a BigInt: described by its type alone below
  }
  return `[a thrown ${typeof value} that is not JSON]`;
}
