import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MASK, maskLogValue, SENSITIVE_KEYS } from '../../../../functions/commons/logging/masking.ts';
import {
  currentSecretForms,
  runWithSecretsMasked,
  type SecretsToMask,
} from '../../../../functions/commons/logging/secret-scope.ts';

/** A log line as the logger writes it: JSON with the masking replacer. */
const logLine = (value: unknown, secretForms: readonly string[] = []): string =>
  JSON.stringify(value, (key, item) => maskLogValue(key, item, secretForms));

/** A log line written inside a masking scope for `secrets`. */
const logLineWithSecrets = (secrets: readonly string[] | SecretsToMask, value: unknown): string =>
  runWithSecretsMasked(Array.isArray(secrets) ? { texts: secrets } : (secrets as SecretsToMask), () =>
    logLine(value, currentSecretForms()),
  );

const safeEncodeUriComponent = (text: string): string | undefined => {
  try {
    return encodeURIComponent(text);
  } catch {
    return undefined;
  }
};

describe('maskLogValue', () => {
  describe('sensitive keys', () => {
    it('masks every sensitive key at any depth and leaves secretId visible', () => {
      // Prepare
      const entry = {
        secretId: 'prod/db',
        secretString: 'top-level-value',
        request: {
          secretBinary: 'YmluYXJ5LXZhbHVl',
          nested: [{ password: 'p4ssw0rd-value' }, { deeper: { privateKey: '-----BEGIN KEY-----' } }],
        },
        sdkInput: { SecretId: 'prod/db', SecretString: 'sdk-value', SecretBinary: new Uint8Array([1, 2, 3]) },
      };

      // Act
      const line = logLine(entry);

      // Assess
      expect(JSON.parse(line)).toEqual({
        secretId: 'prod/db',
        secretString: MASK,
        request: { secretBinary: MASK, nested: [{ password: MASK }, { deeper: { privateKey: MASK } }] },
        sdkInput: { SecretId: 'prod/db', SecretString: MASK, SecretBinary: MASK },
      });
    });

    it.each([...SENSITIVE_KEYS])('masks an object held under %s whole', (key) => {
      // Act
      const line = logLine({ [key]: { inner: 'inner-secret-value' } });

      // Assess
      expect(JSON.parse(line)).toEqual({ [key]: MASK });
    });

    it('does not list secretId as sensitive', () => {
      expect(SENSITIVE_KEYS.has('secretId')).toBe(false);
    });
  });

  describe('JSON held in a string', () => {
    it('masks sensitive keys in an SQS body and keeps the body valid JSON', () => {
      // Prepare
      const body = JSON.stringify({ secretId: 'prod/db', secretString: 'body-secret-value' });

      // Act
      const line = logLine({ record: { messageId: 'm-1', body } });

      // Assess
      expect(line).not.toContain('body-secret-value');
      const parsedBody: unknown = JSON.parse(JSON.parse(line).record.body);
      expect(parsedBody).toEqual({ secretId: 'prod/db', secretString: MASK });
    });

    it('masks an EventBridge event whose detail is itself a JSON string', () => {
      // Prepare
      const detail = JSON.stringify({ secretId: 'prod/db', secretString: 'detail-secret-value' });
      const body = JSON.stringify({ 'detail-type': 'UpdateSecret', detail });

      // Act
      const line = logLine({ body });

      // Assess
      expect(line).not.toContain('detail-secret-value');
      const parsedBody = JSON.parse(JSON.parse(line).body);
      expect(JSON.parse(parsedBody.detail)).toEqual({ secretId: 'prod/db', secretString: MASK });
    });

    it('masks a body that was JSON-encoded twice (a JSON string literal holding the request)', () => {
      // Prepare
      const body = JSON.stringify(
        JSON.stringify({ secretId: 'prod/db', secretString: 'twice-encoded-value' }),
      );

      // Act
      const line = logLine({ body });

      // Assess
      expect(line).not.toContain('twice-encoded-value');
    });

    it('masks JSON that starts after leading whitespace', () => {
      // Act
      const line = logLine({ body: '\n  {"secretString":"indented-secret-value"}' });

      // Assess
      expect(line).not.toContain('indented-secret-value');
    });

    it('leaves text that only looks like JSON as it is', () => {
      // Act
      const line = logLine({ body: '{not json' });

      // Assess
      expect(JSON.parse(line)).toEqual({ body: '{not json' });
    });

    it('keeps a "__proto__" key a plain key and pollutes no prototype', () => {
      // Prepare
      const body = '{"__proto__":{"polluted":"yes"},"secretString":"proto-secret-value"}';

      // Act
      const line = logLine({ body });

      // Assess
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(line).not.toContain('proto-secret-value');
      expect(JSON.parse(JSON.parse(line).body)).toEqual(
        JSON.parse('{"__proto__":{"polluted":"yes"},"secretString":"****"}'),
      );
    });
  });

  describe('registered secret values', () => {
    const secret = 'pa"ss\\word 1+2/3=x&y';

    it.each([
      ['as is', secret],
      ['base64', Buffer.from(secret).toString('base64')],
      ['base64 without padding', Buffer.from(secret).toString('base64').replace(/=+$/, '')],
      ['base64url', Buffer.from(secret).toString('base64url')],
      ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
      ['URL-encoded', encodeURIComponent(secret)],
      ['URL-encoded with + for spaces', encodeURIComponent(secret).replaceAll('%20', '+')],
    ])('replaces the value written %s inside any string', (_label, form) => {
      // Act
      const line = logLineWithSecrets([secret], { message: `UpdateSecret failed: ${form} (attempt 2)` });

      // Assess
      expect(JSON.parse(line)).toEqual({ message: `UpdateSecret failed: ${MASK} (attempt 2)` });
    });

    it('replaces the value inside JSON held in a string', () => {
      // Act
      const line = logLineWithSecrets([secret], { body: JSON.stringify({ note: `value ${secret} here` }) });

      // Assess
      expect(JSON.parse(JSON.parse(line).body)).toEqual({ note: `value ${MASK} here` });
    });

    it('masks the decoded text of a binary secret registered as base64', () => {
      // Prepare
      const base64 = Buffer.from('binary-secret-as-text').toString('base64');

      // Act
      const line = logLineWithSecrets(
        { texts: [], binaries: [base64] },
        {
          message: 'decoded binary-secret-as-text leaked',
          raw: base64,
        },
      );

      // Assess
      expect(line).not.toContain('binary-secret-as-text');
      expect(line).not.toContain(base64);
    });

    it('masks a JSON secret whose text is not in the JSON layout it is printed in', () => {
      // Prepare: secrets are often pretty-printed JSON; a log field may hold the value whole.
      const secret = '{ "apiKey": "k-123456789012" }';

      // Act
      const line = logLineWithSecrets([secret], { note: secret });

      // Assess
      expect(line).not.toContain('k-123456789012');
    });

    it('masks nothing when no secret is registered', () => {
      // Act
      const line = logLine({ message: 'plain text' });

      // Assess
      expect(JSON.parse(line)).toEqual({ message: 'plain text' });
    });

    it('never lets a registered value through, whatever its characters', () => {
      const secretValue = fc.oneof(
        fc.string({ minLength: 12 }),
        fc.string({ unit: 'grapheme', minLength: 12 }),
        fc.string({ unit: 'binary', minLength: 12 }),
      );
      fc.assert(
        fc.property(secretValue, (value) => {
          // Act
          const line = logLineWithSecrets([value], {
            message: `UpdateSecret failed for ${value} (attempt 2)`,
            detail: { note: value },
            body: JSON.stringify({ secretId: 'prod/db', note: `with ${value} inside` }),
          });

          // Assess
          expect(line).not.toContain(value);
          expect(line).not.toContain(Buffer.from(value, 'utf8').toString('base64'));
          expect(line).not.toContain(JSON.stringify(value).slice(1, -1));
          const uriEncoded = safeEncodeUriComponent(value);
          if (uriEncoded !== undefined) expect(line).not.toContain(uriEncoded);
        }),
      );
    });
  });

  describe('bounds', () => {
    it('returns a string for JSON nested 10,000 levels deep', () => {
      // Prepare
      const deep = `${'['.repeat(10_000)}"deep-secret-value"${']'.repeat(10_000)}`;

      // Act
      const masked = maskLogValue('body', deep, ['deep-secret-value']);

      // Assess
      expect(typeof masked).toBe('string');
      expect(masked).not.toContain('deep-secret-value');
    });

    it('returns a string for deeply nested objects without any secret form', () => {
      // Prepare
      const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;

      // Act
      const masked = maskLogValue('body', deep, []);

      // Assess
      expect(typeof masked).toBe('string');
    });

    it('returns a short string for a very large string, without the secret', () => {
      // Prepare
      const large = `${'x'.repeat(5_000_000)} large-secret-value`;

      // Act
      const masked = maskLogValue('message', large, ['large-secret-value']);

      // Assess
      expect(typeof masked).toBe('string');
      expect(masked).not.toContain('large-secret-value');
      expect((masked as string).length).toBeLessThan(1_000);
    });

    it('leaves values other than strings as they are', () => {
      // Act
      const masked = [
        maskLogValue('count', 3, ['3']),
        maskLogValue('flag', true, []),
        maskLogValue('none', null, []),
      ];

      // Assess
      expect(masked).toEqual([3, true, null]);
    });
  });
});

describe('maskLogValue and the fields the functions write themselves', () => {
  it('leaves identifying fields and its own messages whole, so a short secret cannot show where it occurs', () => {
    // Prepare: a 4-digit secret that also occurs in the timestamp, the secret id and the outcome's text
    const line = {
      level: 'INFO',
      message: 'secret update applied',
      timestamp: '2026-12-03T19:00:00.000Z',
      secretId: 'prod/2026/db',
      outcome: 'updated',
      error: { name: 'TypeError', message: 'cannot send 2026' },
    };

    // Act
    const masked = JSON.parse(logLineWithSecrets(['2026'], line)) as typeof line;

    // Assess
    expect(masked).toMatchObject({
      message: 'secret update applied',
      timestamp: '2026-12-03T19:00:00.000Z',
      secretId: 'prod/2026/db',
      outcome: 'updated',
    });
    expect(masked.error.message).toBe(`cannot send ${MASK}`);
  });

  it('masks the hex form of a secret in text', () => {
    // Prepare
    const value = 'hex-form-secret-value';
    const hex = Buffer.from(value).toString('hex');

    // Act
    const line = logLineWithSecrets([value], { note: `dump ${hex} and ${hex.toUpperCase()}` });

    // Assess
    expect(JSON.parse(line)).toEqual({ note: `dump ${MASK} and ${MASK}` });
  });
});

describe('maskLogValue and values escaped by other serialisers', () => {
  it('masks a non-ASCII secret written with \\u escapes, as Python json.dumps writes it', () => {
    // Prepare
    const value = 'clé-secrète-€-canary';
    const asciiEscaped = 'cl\\u00e9-secr\\u00e8te-\\u20ac-canary';

    // Act
    const line = logLineWithSecrets([value], { error: { message: `bad payload {"v": "${asciiEscaped}"}` } });

    // Assess
    expect(line).not.toContain(asciiEscaped);
    expect(line).not.toContain('\\\\u00e9-secr');
  });
});
