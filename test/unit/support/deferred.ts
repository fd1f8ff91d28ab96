/** A promise settled by the test itself: the test decides when a task finishes, nothing waits on a clock. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  readonly resolve: (value: T) => void;
  readonly reject: (reason: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

/** Lets every queued promise callback run (a macrotask turn: no clock, no delay). */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Marks a promise's rejection as handled now, for a test that rejects it before it awaits it (the rejection
 * is still seen by the later `await` or `Promise.allSettled`).
 */
export function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
