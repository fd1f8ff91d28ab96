import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SecretUpdateValidationError } from '../../../../functions/commons/errors.ts';
import {
  parseSecretUpdateRequest,
  type SecretUpdateRequest,
} from '../../../../functions/commons/request/request-schema.ts';

const FULL_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
const PARTIAL_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db';
const VALID_TOKEN = '0123456789abcdef0123456789abcdef';
const NULL_IS_NOT_ABSENCE = 'null is not the same as leaving it out';

/** Parses `input` expecting a rejection; checks the error's class, name and classification. */
function rejectionOf(input: unknown): SecretUpdateValidationError {
  let thrown: unknown;
  try {
    parseSecretUpdateRequest(input);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(SecretUpdateValidationError);
  const error = thrown as SecretUpdateValidationError;
  expect(error.name).toBe('SecretUpdateValidationError');
  expect(error.retryable).toBe(false);
  return error;
}

const base64OfBytes = (length: number): string => Buffer.alloc(length, 0xa7).toString('base64');

describe('parseSecretUpdateRequest', () => {
  describe('secretId', () => {
    it('rejects a request without secretId', () => {
      // Act
      const error = rejectionOf({ secretString: 'value' });

      // Assess
      expect(error.message).toBe('secretId is required');
    });

    it.each([
      ['a one-character name', 'a'],
      ['a path-like name', 'prod/db'],
      ['a name using every allowed punctuation mark', 'a/b_c+d=e.f@g!h-i'],
      ['a name of 512 characters', 'n'.repeat(512)],
      ['a full ARN', FULL_ARN],
      ['a partial ARN', PARTIAL_ARN],
      [
        'a full ARN in another partition',
        'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:db-AbCdEf',
      ],
    ])('accepts %s', (_label, secretId) => {
      // Act
      const request = parseSecretUpdateRequest({ secretId, description: 'd' });

      // Assess
      expect(request.secretId).toBe(secretId);
    });

    it('accepts the full ARN of a secret whose name has the maximum 512 characters', () => {
      // Prepare
      const secretId = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${'n'.repeat(512)}-AbCdEf`;

      // Act
      const request = parseSecretUpdateRequest({ secretId, description: 'd' });

      // Assess
      expect(request.secretId).toBe(secretId);
    });

    it.each([
      ['an empty name', ''],
      ['a name of 513 characters', 'n'.repeat(513)],
      ['a name with a space', 'prod db'],
      ['a name with #', 'prod#db'],
      ['a name with a non-ASCII letter', 'prod/clé'],
      ['an ARN of another service', 'arn:aws:s3:::bucket'],
      ['an ARN with a short account id', 'arn:aws:secretsmanager:us-east-1:12345:secret:prod/db'],
      ['an ARN with a name of 513 characters', `${PARTIAL_ARN.slice(0, -7)}${'n'.repeat(513)}`],
    ])('rejects %s', (_label, secretId) => {
      // Act
      const error = rejectionOf({ secretId, description: 'd' });

      // Assess
      expect(error.message).toMatch(/^secretId must be a secret name/);
    });
  });

  describe('secretString', () => {
    it('accepts exactly 65,536 bytes of ASCII', () => {
      // Prepare
      const secretString = 'a'.repeat(65_536);

      // Act
      const request = parseSecretUpdateRequest({ secretId: 'prod/db', secretString });

      // Assess
      expect(request.secretString).toBe(secretString);
    });

    it.each([
      ['2-byte', 'é'.repeat(32_768)],
      ['3-byte', `${'€'.repeat(21_845)}a`],
      ['4-byte', '😀'.repeat(16_384)],
    ])('accepts exactly 65,536 UTF-8 bytes made of %s characters', (_label, secretString) => {
      // Prepare
      expect(Buffer.byteLength(secretString, 'utf8')).toBe(65_536);

      // Act
      const request = parseSecretUpdateRequest({ secretId: 'prod/db', secretString });

      // Assess
      expect(request.secretString).toBe(secretString);
    });

    it.each([
      ['ASCII', 'a'.repeat(65_537)],
      ['2-byte characters', `${'é'.repeat(32_768)}a`],
      ['3-byte characters', '€'.repeat(21_846)],
      ['4-byte characters', `${'😀'.repeat(16_384)}a`],
    ])(
      'rejects 65,537 or more UTF-8 bytes of %s although it has fewer UTF-16 units',
      (_label, secretString) => {
        // Prepare
        expect(Buffer.byteLength(secretString, 'utf8')).toBeGreaterThan(65_536);

        // Act
        const error = rejectionOf({ secretId: 'prod/db', secretString });

        // Assess
        expect(error.message).toBe('secretString must be at most 65,536 bytes in UTF-8');
      },
    );

    it('rejects an empty secretString', () => {
      // Act
      const error = rejectionOf({ secretId: 'prod/db', secretString: '' });

      // Assess
      expect(error.message).toBe('secretString must not be empty');
    });

    it.each([
      ['a lone high surrogate', 'value-\uD800'],
      ['a lone low surrogate', '\uDC00-value'],
    ])('rejects %s', (_label, secretString) => {
      // Act
      const error = rejectionOf({ secretId: 'prod/db', secretString });

      // Assess
      expect(error.message).toBe('secretString must be well-formed Unicode (no lone surrogates)');
    });

    it('rejects secretString together with secretBinary', () => {
      // Act
      const error = rejectionOf({ secretId: 'prod/db', secretString: 'value', secretBinary: 'dmFsdWU=' });

      // Assess
      expect(error.message).toBe('secretString and secretBinary cannot both be given: choose one');
    });
  });

  describe('secretBinary', () => {
    it.each([
      ['with two padding characters', 'aA=='],
      ['with one padding character', 'aGk='],
      ['without padding because none is needed', 'aGV5'],
      ['using + and /', '+/+/'],
    ])('accepts standard base64 %s', (_label, secretBinary) => {
      // Act
      const request = parseSecretUpdateRequest({ secretId: 'prod/db', secretBinary });

      // Assess
      expect(request.secretBinary).toBe(secretBinary);
    });

    it.each([
      ['base64url with -', 'ab-c'],
      ['base64url with _', 'ab_c'],
      ['missing padding', 'aGk'],
      ['a space inside', 'aGVs bG8='],
      ['a trailing newline', 'aGk=\n'],
      ['padding in the middle', 'aA==aGk='],
    ])('rejects %s', (_label, secretBinary) => {
      // Act
      const error = rejectionOf({ secretId: 'prod/db', secretBinary });

      // Assess
      expect(error.message).toBe(
        'secretBinary must be standard base64 with padding (A-Z, a-z, 0-9, +, /, =)',
      );
    });

    it('rejects an empty secretBinary', () => {
      // Act
      const error = rejectionOf({ secretId: 'prod/db', secretBinary: '' });

      // Assess
      expect(error.message).toBe('secretBinary must not be empty');
    });

    it.each([65_534, 65_535, 65_536])('accepts base64 that decodes to %i bytes', (length) => {
      // Prepare
      const secretBinary = base64OfBytes(length);

      // Act
      const request = parseSecretUpdateRequest({ secretId: 'prod/db', secretBinary });

      // Assess
      expect(request.secretBinary).toBe(secretBinary);
    });

    it.each([65_537, 65_538, 65_539])('rejects base64 that decodes to %i bytes', (length) => {
      // Act
      const error = rejectionOf({ secretId: 'prod/db', secretBinary: base64OfBytes(length) });

      // Assess
      expect(error.message).toBe('secretBinary must decode to at most 65,536 bytes');
    });
  });

  describe('description', () => {
    it('accepts 2,048 characters', () => {
      // Prepare
      const description = 'd'.repeat(2_048);

      // Act
      const request = parseSecretUpdateRequest({ secretId: 'prod/db', description });

      // Assess
      expect(request.description).toBe(description);
    });

    it('rejects 2,049 characters', () => {
      // Act
      const error = rejectionOf({ secretId: 'prod/db', description: 'd'.repeat(2_049) });

      // Assess
      expect(error.message).toBe(
        'description must be at most 2,048 UTF-16 code units (an emoji or other character beyond U+FFFF counts as two)',
      );
    });

    it('counts a character beyond U+FFFF as two code units', () => {
      // Act
      const fits = parseSecretUpdateRequest({ secretId: 'prod/db', description: '😀'.repeat(1_024) });
      const error = rejectionOf({ secretId: 'prod/db', description: `${'😀'.repeat(1_024)}d` });

      // Assess
      expect(fits.description).toHaveLength(2_048);
      expect(error.name).toBe('SecretUpdateValidationError');
    });

    it('accepts "" on its own, which clears the description', () => {
      // Act
      const request = parseSecretUpdateRequest({ secretId: 'prod/db', description: '' });

      // Assess
      expect(request).toEqual({ secretId: 'prod/db', description: '' });
    });

    it('rejects a lone surrogate', () => {
      // Act
      const error = rejectionOf({ secretId: 'prod/db', description: 'broken \uD83D text' });

      // Assess
      expect(error.message).toBe('description must be well-formed Unicode');
    });
  });

  describe('kmsKeyId', () => {
    it.each([
      ['"" (the AWS managed key)', ''],
      ['an alias name', 'alias/app-key'],
      ['a key ARN', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
      ['2,048 characters', 'k'.repeat(2_048)],
    ])('accepts %s on its own', (_label, kmsKeyId) => {
      // Act
      const request = parseSecretUpdateRequest({ secretId: 'prod/db', kmsKeyId });

      // Assess
      expect(request).toEqual({ secretId: 'prod/db', kmsKeyId });
    });

    it.each([
      ['2,049 characters', 'k'.repeat(2_049)],
      ['a newline', 'alias/app-key\n'],
      ['a NUL character', 'alias/\u0000key'],
    ])('rejects %s', (_label, kmsKeyId) => {
      // Act
      const error = rejectionOf({ secretId: 'prod/db', kmsKeyId });

      // Assess
      expect(error.message).toMatch(/^kmsKeyId must be a key id/);
    });
  });

  describe('clientRequestToken', () => {
    it.each([
      ['32 characters', 'a'.repeat(32)],
      ['64 characters', 'A-9'.repeat(21).concat('b')],
      ['a UUID', '3f2b8c1e-4d5a-4e6f-8a9b-0c1d2e3f4a5b'],
    ])('accepts %s', (_label, clientRequestToken) => {
      // Act
      const request = parseSecretUpdateRequest({
        secretId: 'prod/db',
        secretString: 'v',
        clientRequestToken,
      });

      // Assess
      expect(request.clientRequestToken).toBe(clientRequestToken);
    });

    it.each([
      ['31 characters', 'a'.repeat(31)],
      ['65 characters', 'a'.repeat(65)],
      ['an underscore', `${'a'.repeat(31)}_`],
      ['a dot', `${'a'.repeat(31)}.`],
    ])('rejects %s', (_label, clientRequestToken) => {
      // Act
      const error = rejectionOf({ secretId: 'prod/db', secretString: 'v', clientRequestToken });

      // Assess
      expect(error.message).toBe('clientRequestToken must be 32-64 letters, digits or -');
    });
  });

  describe('idempotencyKey', () => {
    it.each([
      ['1 character', 'k'],
      ['256 characters', 'k'.repeat(256)],
      ['non-ASCII text', 'clé-€-😀'],
      ['spaces and punctuation', 'order 42: "retry" #3'],
    ])('accepts %s', (_label, idempotencyKey) => {
      // Act
      const request = parseSecretUpdateRequest({ secretId: 'prod/db', secretString: 'v', idempotencyKey });

      // Assess
      expect(request.idempotencyKey).toBe(idempotencyKey);
    });

    it.each([
      ['""', ''],
      ['257 characters', 'k'.repeat(257)],
      ['a newline', 'evt-1\n'],
      ['a tab', 'evt\t1'],
      ['NUL', 'evt\u00001'],
      ['DEL', 'evt\u007f1'],
      ['a C1 control character', 'evt\u00851'],
      ['a lone surrogate', 'evt-\uDFFF'],
      ['a zero-width space', 'evt\u200B1'],
      ['a line separator', 'evt\u20281'],
      ['a single space', ' '],
      ['257 emoji (code points, not UTF-16 units, are counted)', '😀'.repeat(257)],
    ])('rejects %s', (_label, idempotencyKey) => {
      // Act
      const error = rejectionOf({ secretId: 'prod/db', secretString: 'v', idempotencyKey });

      // Assess
      expect(error.message).toBe('idempotencyKey must be 1-256 printable characters, not all blank');
    });

    it('accepts 256 emoji, counting code points', () => {
      // Act
      const request = parseSecretUpdateRequest({
        secretId: 'prod/db',
        secretString: 'v',
        idempotencyKey: '😀'.repeat(256),
      });

      // Assess
      expect([...(request.idempotencyKey ?? '')]).toHaveLength(256);
    });
  });

  describe('request shape', () => {
    it.each([
      'secretId',
      'secretString',
      'secretBinary',
      'description',
      'kmsKeyId',
      'clientRequestToken',
      'idempotencyKey',
    ])('rejects null for %s, saying null is not absence', (field) => {
      // Prepare
      const input = { secretId: 'prod/db', description: 'd', [field]: null };

      // Act
      const error = rejectionOf(input);

      // Assess
      expect(error.message).toBe(`${field} must be a string (${NULL_IS_NOT_ABSENCE})`);
    });

    it('rejects a number where a string is expected', () => {
      // Act
      const error = rejectionOf({ secretId: 'prod/db', secretString: 42 });

      // Assess: the note about null is kept for null
      expect(error.message).toBe('secretString must be a string');
    });

    it('rejects an unknown field that is a typo, naming it and the field it misses', () => {
      // Act
      const error = rejectionOf({ secretId: 'prod/db', secretStrng: 'v' });

      // Assess
      expect(error.message).toBe('unknown field secretStrng: did you mean secretString?');
    });

    it('rejects an unknown field that is no typo without repeating it, listing the fields', () => {
      // Act
      const error = rejectionOf({ secretId: 'prod/db', secretString: 'v', versionStages: ['AWSCURRENT'] });

      // Assess
      expect(error.message).not.toContain('versionStages');
      expect(error.message).toContain('unknown field');
      expect(error.message).toContain(
        'secretId, secretString, secretBinary, description, kmsKeyId, clientRequestToken, idempotencyKey',
      );
    });

    it.each([
      ['SecretString', { secretId: 'prod/db', SecretString: 'v' }, 'secretString'],
      [
        'ClientRequestToken',
        { secretId: 'prod/db', secretString: 'v', ClientRequestToken: VALID_TOKEN },
        'clientRequestToken',
      ],
      [
        'SecretId beside secretId',
        { secretId: 'prod/db', SecretId: 'prod/db', description: 'd' },
        'secretId',
      ],
      ['SecretId instead of secretId', { SecretId: 'prod/db', description: 'd' }, 'secretId'],
      [
        'SecretId and SecretString, the UpdateSecret API shape',
        { SecretId: 'prod/db', SecretString: 'v' },
        'secretId',
      ],
    ])('rejects the PascalCase field %s with the camelCase spelling', (_label, input, camelCase) => {
      // Act
      const error = rejectionOf(input);

      // Assess
      expect(error.message).toContain(`use ${camelCase}`);
    });

    it.each(['__proto__', 'constructor', 'prototype'])(
      'rejects a %s key that JSON.parse produced and pollutes nothing',
      (key) => {
        // Prepare
        const input: unknown = JSON.parse(
          `{"secretId":"prod/db","description":"d","${key}":{"polluted":"yes"}}`,
        );

        // Act
        const error = rejectionOf(input);

        // Assess
        expect(error.message).toContain('unknown field');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      },
    );

    it.each([
      ['a string', 'prod/db'],
      ['a number', 42],
      ['a boolean', true],
      ['null', null],
      ['undefined', undefined],
      ['an array', [{ secretId: 'prod/db', secretString: 'v' }]],
      ['an empty array', []],
    ])('rejects %s as the request root, saying it must be an object', (_label, input) => {
      // Act
      const error = rejectionOf(input);

      // Assess
      expect(error.message).toBe('the request must be a JSON object');
    });

    it('rejects a request with only secretId as changing nothing', () => {
      // Act
      const error = rejectionOf({ secretId: 'prod/db' });

      // Assess
      expect(error.message).toBe(
        'the request changes nothing: give secretString, secretBinary, description or kmsKeyId',
      );
    });

    it('rejects a request with only secretId and the identity fields as changing nothing', () => {
      // Act
      const error = rejectionOf({
        secretId: 'prod/db',
        clientRequestToken: VALID_TOKEN,
        idempotencyKey: 'evt-1',
      });

      // Assess
      expect(error.message).toMatch(/^the request changes nothing/);
    });

    it('returns every given field unchanged', () => {
      // Prepare
      const input = {
        secretId: FULL_ARN,
        secretString: '{"password":"p"}',
        description: 'rotated',
        kmsKeyId: 'alias/app-key',
        clientRequestToken: VALID_TOKEN,
        idempotencyKey: 'evt-1',
      };

      // Act
      const request = parseSecretUpdateRequest(structuredClone(input));

      // Assess
      expect(request).toStrictEqual(input);
    });
  });

  describe('secrecy of error messages', () => {
    // A canary is a value nobody would write into a message: if it shows up, the message quotes input.
    const canary = fc.string({ minLength: 12 }).map((text) => `CANARY${text}`);
    const anyCanary = fc.oneof(
      canary,
      fc.string({ unit: 'grapheme', minLength: 12 }).map((t) => `CANARY${t}`),
    );
    // What secrets look like when they are keys or tokens: only letters and digits.
    const tokenLikeCanary = fc.stringMatching(/^[A-Za-z0-9]{12,64}$/);

    const expectRejectionWithout = (input: unknown, value: string): void => {
      const error = rejectionOf(input);
      expect(error.message).not.toContain(value);
    };

    it('never quotes a secretString that is too large', () => {
      fc.assert(
        fc.property(anyCanary, (value) => {
          const secretString = value.repeat(Math.ceil(65_537 / value.length));
          expectRejectionWithout({ secretId: 'prod/db', secretString }, value);
        }),
      );
    });

    it('never quotes secretString or secretBinary when both are given', () => {
      fc.assert(
        fc.property(anyCanary, (value) => {
          const secretBinary = Buffer.from(value, 'utf8').toString('base64');
          expectRejectionWithout({ secretId: 'prod/db', secretString: value, secretBinary }, value);
          expectRejectionWithout({ secretId: 'prod/db', secretString: value, secretBinary }, secretBinary);
        }),
      );
    });

    it('never quotes a secretBinary that is not base64', () => {
      fc.assert(
        fc.property(anyCanary, (value) => {
          expectRejectionWithout({ secretId: 'prod/db', secretBinary: `${value}!` }, value);
        }),
      );
    });

    it('never quotes the secret when a sibling field is what breaks the contract', () => {
      fc.assert(
        fc.property(anyCanary, (value) => {
          expectRejectionWithout({ secretId: 'bad id', secretString: value }, value);
          expectRejectionWithout({ secretId: 'prod/db', secretString: value, idempotencyKey: 'a\nb' }, value);
          expectRejectionWithout(
            { secretId: 'prod/db', secretString: value, clientRequestToken: 'short' },
            value,
          );
          expectRejectionWithout({ secretId: 'prod/db', secretString: value, kmsKeyId: null }, value);
        }),
      );
    });

    it('never quotes a value given in a field that cannot hold it', () => {
      fc.assert(
        fc.property(anyCanary, (value) => {
          // Each value is made invalid for its field by one character that the field never allows.
          expectRejectionWithout({ secretId: `${value} `, description: 'd' }, value);
          expectRejectionWithout(
            { secretId: 'prod/db', secretString: 'v', clientRequestToken: `${value}_` },
            value,
          );
          expectRejectionWithout({ secretId: 'prod/db', kmsKeyId: `${value}\u0000` }, value);
          expectRejectionWithout(
            { secretId: 'prod/db', secretString: 'v', idempotencyKey: `${value}\n` },
            value,
          );
          expectRejectionWithout({ secretId: 'prod/db', SecretString: value }, value);
        }),
      );
    });

    it('never quotes the value of an unknown field', () => {
      fc.assert(
        fc.property(anyCanary, (value) => {
          expectRejectionWithout({ secretId: 'prod/db', secretString: 'v', secretValue: value }, value);
          expectRejectionWithout({ secretId: 'prod/db', secretString: 'v', password: value }, value);
        }),
      );
    });

    it('never quotes the name of an unknown field that may be a secret', () => {
      fc.assert(
        fc.property(fc.oneof(anyCanary, tokenLikeCanary), (value) => {
          expectRejectionWithout({ secretId: 'prod/db', secretString: 'v', [value]: true }, value);
        }),
      );
    });
  });

  describe('valid requests', () => {
    const printable = (minLength: number, maxLength: number) =>
      fc
        .string({ unit: 'grapheme', minLength, maxLength })
        .filter((text) => !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/u.test(text) && /\S/u.test(text));
    const validRequest: fc.Arbitrary<SecretUpdateRequest> = fc
      .record(
        {
          secretId: fc.oneof(
            fc.stringMatching(/^[A-Za-z0-9/_+=.@!-]{1,64}$/),
            fc
              .stringMatching(/^[A-Za-z0-9/_+=.@!-]{1,64}$/)
              .map((name) => `${PARTIAL_ARN.slice(0, -7)}${name}`),
          ),
          secretString: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
          secretBinary: fc
            .uint8Array({ minLength: 1, maxLength: 200 })
            .map((bytes) => Buffer.from(bytes).toString('base64')),
          description: fc.string({ unit: 'grapheme', maxLength: 100 }),
          kmsKeyId: fc.oneof(fc.constant(''), printable(1, 100)),
          clientRequestToken: fc.stringMatching(/^[A-Za-z0-9-]{32,64}$/),
          idempotencyKey: printable(1, 256).filter((text) => text.length <= 256),
        },
        { requiredKeys: ['secretId'], noNullPrototype: true },
      )
      .filter((request) => request.secretString === undefined || request.secretBinary === undefined)
      .filter(
        (request) =>
          request.secretString !== undefined ||
          request.secretBinary !== undefined ||
          request.description !== undefined ||
          request.kmsKeyId !== undefined,
      );

    it('returns a valid request exactly as given', () => {
      fc.assert(
        fc.property(validRequest, (input) => {
          // Act
          const request = parseSecretUpdateRequest(structuredClone(input));

          // Assess
          expect(request).toStrictEqual(input);
        }),
      );
    });
  });
});
