export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// An id is logged as the correlationId only when it looks like one; anything else could be caller data.
const SAFE_ID = /^[A-Za-z0-9:/_.@+=-]{1,256}$/;

/** The envelope's id field for the log, or "unknown" when it is missing or not id-like. */
export function readCorrelationId(envelope: unknown, field: string): string {
  const id = isPlainObject(envelope) ? envelope[field] : undefined;
  return typeof id === 'string' && SAFE_ID.test(id) ? id : 'unknown';
}
