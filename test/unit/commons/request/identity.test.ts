import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_REQUEST_TOKEN_NAMESPACE,
  deriveClientRequestToken,
  uuidV5,
} from '../../../../functions/commons/request/identity.ts';
import { parseSecretUpdateRequest } from '../../../../functions/commons/request/request-schema.ts';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

// Parts that JSON has to escape or that could glue two parts together if the framing were naive.
const identityPart = fc.string({
  unit: fc.constantFrom('a', 'b', ':', '"', '\\', ',', '[', ']', '/', 'é', '😀', '\u0000'),
  maxLength: 8,
});
const identity = fc.record({ secretId: identityPart, idempotencyKey: identityPart });

describe('uuidV5', () => {
  it('matches the RFC 9562 vector for www.example.com in the DNS namespace', () => {
    // Act
    const uuid = uuidV5('www.example.com', NAMESPACE_DNS);

    // Assess
    expect(uuid).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('accepts the namespace in upper case', () => {
    // Act
    const uuid = uuidV5('www.example.com', NAMESPACE_DNS.toUpperCase());

    // Assess
    expect(uuid).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});

describe('deriveClientRequestToken', () => {
  // Public and permanent: a change here turns every in-flight redelivery into a new secret version.
  it.each([
    [{ secretId: 'prod/db', idempotencyKey: 'evt-1' }, 'cd6c7691-9c6f-525d-8eed-b662d7553ded'],
    [
      {
        secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf',
        idempotencyKey: 'evt-1',
      },
      '8111a38b-3f0c-50f5-ba98-4c05e3f15803',
    ],
    [{ secretId: 'prod/db', idempotencyKey: 'clé-€-😀' }, '0bbc11d0-9985-5fe9-8a63-8822da1e9c33'],
  ])('derives the pinned token for %o', (input, expected) => {
    // Act
    const token = deriveClientRequestToken(input);

    // Assess
    expect(token).toBe(expected);
  });

  it('derives the token as UUID v5 of the JSON pair under the product namespace', () => {
    // Act
    const token = deriveClientRequestToken({ secretId: 'prod/db', idempotencyKey: 'evt-1' });

    // Assess
    expect(token).toBe(uuidV5('["prod/db","evt-1"]', CLIENT_REQUEST_TOKEN_NAMESPACE));
  });

  it('keeps apart pairs that concatenate to the same text', () => {
    // Act
    const left = deriveClientRequestToken({ secretId: 'a:b', idempotencyKey: 'c' });
    const right = deriveClientRequestToken({ secretId: 'a', idempotencyKey: 'b:c' });

    // Assess
    expect(left).not.toBe(right);
  });

  it('keeps apart a secret and key that are swapped', () => {
    // Act
    const forward = deriveClientRequestToken({ secretId: 'prod-db', idempotencyKey: 'evt-1' });
    const swapped = deriveClientRequestToken({ secretId: 'evt-1', idempotencyKey: 'prod-db' });

    // Assess
    expect(forward).not.toBe(swapped);
  });

  it('always derives a UUID v5 that the request contract accepts as clientRequestToken', () => {
    fc.assert(
      fc.property(
        fc.record({ secretId: fc.string(), idempotencyKey: fc.string({ unit: 'binary' }) }),
        (input) => {
          // Act
          const token = deriveClientRequestToken(input);

          // Assess
          expect(token).toHaveLength(36);
          expect(token).toMatch(UUID_V5);
          expect(token).toMatch(/^[A-Za-z0-9-]{32,64}$/);
          expect(
            parseSecretUpdateRequest({ secretId: 'prod/db', secretString: 'v', clientRequestToken: token }),
          ).toMatchObject({ clientRequestToken: token });
        },
      ),
    );
  });

  it('derives different tokens for different identities', () => {
    fc.assert(
      fc.property(identity, identity, (first, second) => {
        fc.pre(first.secretId !== second.secretId || first.idempotencyKey !== second.idempotencyKey);

        // Act
        const firstToken = deriveClientRequestToken(first);
        const secondToken = deriveClientRequestToken(second);

        // Assess
        expect(firstToken).not.toBe(secondToken);
      }),
    );
  });

  it('derives the same token every time for the same identity', () => {
    fc.assert(
      fc.property(identity, (input) => {
        // Act
        const first = deriveClientRequestToken(input);
        const second = deriveClientRequestToken({ ...input });

        // Assess
        expect(second).toBe(first);
      }),
    );
  });
});
