import { describe, expect, it } from 'vitest';
import {
  currentSecretForms,
  runWithSecretsMasked,
  textFormsOf,
} from '../../../../functions/commons/logging/secret-scope.ts';
import { deferred, settle } from '../../support/deferred.ts';

describe('textFormsOf', () => {
  it('lists the raw, JSON-escaped, base64, base64url and URL-encoded forms', () => {
    // Prepare
    const value = 'a "quoted" value/with+plus';

    // Act
    const forms = textFormsOf(value);

    // Assess
    expect(forms).toEqual(
      expect.arrayContaining([
        value,
        'a \\"quoted\\" value/with+plus',
        Buffer.from(value).toString('base64'),
        Buffer.from(value).toString('base64url'),
        encodeURIComponent(value),
        encodeURIComponent(value).replaceAll('%20', '+'),
      ]),
    );
  });

  it('adds the decoded text of a binary value given as base64', () => {
    // Act
    const forms = textFormsOf(Buffer.from('decoded-binary-text').toString('base64'), { binary: true });

    // Assess
    expect(forms).toContain('decoded-binary-text');
  });

  it('does not decode a text value that merely looks like base64', () => {
    // Prepare: 'aWQ=' is base64 for "id"; decoding it would mask every "id" in the log line
    const value = 'aWQ=';

    // Act
    const forms = textFormsOf(value);

    // Assess
    expect(forms).toContain(value);
    expect(forms).not.toContain('id');
  });

  it('lists no form for an empty value', () => {
    expect(textFormsOf('')).toEqual([]);
  });

  it('lists the other forms of a value that cannot be URL-encoded', () => {
    // Act
    const forms = textFormsOf('lone-\uD800-surrogate');

    // Assess
    expect(forms).toContain('lone-\uD800-surrogate');
    expect(forms).toContain('lone-\\ud800-surrogate');
  });
});

describe('runWithSecretsMasked', () => {
  it('registers no forms outside any scope', () => {
    expect(currentSecretForms()).toEqual([]);
  });

  it('registers the forms for the work, longest first, and drops them afterwards', () => {
    // Act
    const inside = runWithSecretsMasked({ texts: ['scoped-secret-value'] }, () => currentSecretForms());

    // Assess
    expect(inside).toEqual(expect.arrayContaining(textFormsOf('scoped-secret-value')));
    expect([...inside].sort((left, right) => right.length - left.length)).toEqual(inside);
    expect(currentSecretForms()).toEqual([]);
  });

  it('keeps the forms across awaits of the work', async () => {
    // Prepare
    const gate = deferred();

    // Act
    const seen = runWithSecretsMasked({ texts: ['awaited-secret-value'] }, async () => {
      await gate.promise;
      return currentSecretForms();
    });
    gate.resolve();

    // Assess
    expect(await seen).toContain('awaited-secret-value');
  });

  it('gives two concurrent scopes only their own forms', async () => {
    // Prepare
    const [firstGate, secondGate, firstDone] = [deferred(), deferred(), deferred()];
    const first = runWithSecretsMasked({ texts: ['first-secret-value'] }, async () => {
      await firstGate.promise;
      const seen = currentSecretForms();
      firstDone.resolve();
      return seen;
    });
    const second = runWithSecretsMasked({ texts: ['second-secret-value'] }, async () => {
      const before = currentSecretForms();
      await secondGate.promise;
      return [...before, ...currentSecretForms()];
    });

    // Act: interleave the two scopes' continuations
    secondGate.resolve();
    await settle();
    firstGate.resolve();
    await firstDone.promise;
    const [firstSeen, secondSeen] = await Promise.all([first, second]);

    // Assess
    expect(firstSeen).toContain('first-secret-value');
    expect(firstSeen.some((form) => form.includes('second'))).toBe(false);
    expect(secondSeen).toContain('second-secret-value');
    expect(secondSeen.some((form) => form.includes('first'))).toBe(false);
    expect(currentSecretForms()).toEqual([]);
  });

  it('lets a nested scope add to the forms of the scope around it', () => {
    // Act
    const inner = runWithSecretsMasked({ texts: ['outer-secret-value'] }, () =>
      runWithSecretsMasked({ texts: ['inner-secret-value'] }, () => currentSecretForms()),
    );

    // Assess
    expect(inner).toContain('outer-secret-value');
    expect(inner).toContain('inner-secret-value');
  });
});
