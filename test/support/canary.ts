import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { expect } from 'vitest';

/** A secret value that cannot occur by chance: a label and 22 random base64url characters. */
export const canaryValue = (label: string): string =>
  `canary-${label}-${randomBytes(16).toString('base64url')}`;

/** Random bytes for a binary canary, as the standard base64 a request carries. */
export const binaryCanary = (): string => randomBytes(48).toString('base64');

/**
 * Every text form of a canary that a leak could take: as is, base64 (padded and not), base64url,
 * JSON-escaped, URL-encoded. Computed here independently of the product's masking code.
 */
export function canaryForms(value: string): string[] {
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  return [
    value,
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(value, 'utf8').toString('base64url'),
    JSON.stringify(value).slice(1, -1),
    encodeURIComponent(value),
  ];
}

/** Everything an error exposes: message, stack, enumerable fields and the whole cause chain. */
export const describeThrown = (error: unknown): string =>
  `${inspect(error, { depth: 20, showHidden: true })}\n${JSON.stringify(error)}\n${String(error)}`;

/** Asserts that no form of any canary occurs in `text`, naming where it looked. */
export function expectNoCanary(text: string, canaries: readonly string[], where: string): void {
  for (const canary of canaries) {
    for (const form of canaryForms(canary)) {
      expect(text.includes(form), `a form of ${canary.slice(0, 14)}... appears in ${where}`).toBe(false);
    }
  }
}
