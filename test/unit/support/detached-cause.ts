import { expect } from 'vitest';

/** Asserts that `cause` is the detached copy of `failure`: same name and message, not the object itself. */
export function expectDetachedCopyOf(cause: unknown, failure: Error): void {
  expect(cause).toBeInstanceOf(Error);
  expect(cause).not.toBe(failure);
  expect(cause).toMatchObject({ name: failure.name, message: failure.message });
  expect(cause).not.toHaveProperty('$response');
}
