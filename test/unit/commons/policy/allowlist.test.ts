import { describe, expect, it } from 'vitest';
import { SecretUpdateForbiddenError } from '../../../../functions/commons/errors.ts';
import {
  AWS_MANAGED_KEY_ALIAS,
  assertUpdateAllowed,
  compileAllowlist,
} from '../../../../functions/commons/policy/allowlist.ts';

const FULL_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';

describe('compileAllowlist', () => {
  it('allows everything when no list is configured', () => {
    // Act
    const allowlist = compileAllowlist(undefined);

    // Assess
    expect(['prod/db', FULL_ARN, ''].map(allowlist.allows)).toEqual([true, true, true]);
  });

  it('allows nothing with an empty list', () => {
    expect(compileAllowlist([]).allows('prod/db')).toBe(false);
  });

  it('matches a whole candidate only', () => {
    // Act
    const allowlist = compileAllowlist(['prod/db']);

    // Assess
    expect(['prod/db', 'prod/db2', 'x-prod/db'].map(allowlist.allows)).toEqual([true, false, false]);
  });

  it('matches a name pattern against names only, never against an ARN', () => {
    // Act: a name prefix that happens to begin the word "arn"
    const allowlist = compileAllowlist(['a*', '*']);

    // Assess
    expect(allowlist.allows('app/db')).toBe(true);
    expect(allowlist.allows('arn:aws:secretsmanager:eu-west-1:999999999999:secret:prod/db')).toBe(false);
    expect(allowlist.allows(FULL_ARN)).toBe(false);
  });

  it('lets * match any run of characters, across / and :', () => {
    // Act
    const allowlist = compileAllowlist(['prod/*', 'arn:aws:secretsmanager:*:123456789012:secret:app/*']);

    // Assess
    expect(allowlist.allows('prod/db')).toBe(true);
    expect(allowlist.allows('prod/')).toBe(true);
    expect(allowlist.allows('prod/team/db')).toBe(true);
    expect(allowlist.allows('arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/web/api-AbCdEf')).toBe(
      true,
    );
    expect(allowlist.allows('dev/prod/db')).toBe(false);
    expect(allowlist.allows('arn:aws:secretsmanager:eu-west-1:999999999999:secret:app/web-AbCdEf')).toBe(
      false,
    );
  });

  it.each([
    ['a.b', 'a.b', 'axb'],
    ['a+b', 'a+b', 'aab'],
    ['a?b', 'a?b', 'ab'],
    ['(a|b)', '(a|b)', 'a'],
    ['[ab]', '[ab]', 'a'],
    ['a{2}', 'a{2}', 'aa'],
    ['^a$', '^a$', 'a'],
    ['a\\d', 'a\\d', 'a1'],
  ])('treats the regular-expression characters of %s literally', (pattern, literal, other) => {
    // Act
    const allowlist = compileAllowlist([pattern]);

    // Assess
    expect(allowlist.allows(literal)).toBe(true);
    expect(allowlist.allows(other)).toBe(false);
  });
});

describe('assertUpdateAllowed', () => {
  const allowlists = (
    secretIds: readonly string[] | undefined,
    kmsKeyIds: readonly string[] | undefined,
  ) => ({
    secretIds: compileAllowlist(secretIds),
    kmsKeyIds: compileAllowlist(kmsKeyIds),
  });

  it('passes a secret and key inside the lists', () => {
    expect(() =>
      assertUpdateAllowed(
        { secretId: 'prod/db', kmsKeyId: 'alias/prod' },
        allowlists(['prod/*'], ['alias/prod']),
      ),
    ).not.toThrow();
  });

  it('refuses a secret outside ALLOWED_SECRET_IDS', () => {
    // Act
    const attempt = () => assertUpdateAllowed({ secretId: 'dev/db' }, allowlists(['prod/*'], undefined));

    // Assess
    expect(attempt).toThrow(SecretUpdateForbiddenError);
    expect(attempt).toThrow(
      expect.objectContaining({ name: 'SecretUpdateForbiddenError', retryable: false }),
    );
    expect(attempt).toThrow(/ALLOWED_SECRET_IDS/);
  });

  it('refuses a key outside ALLOWED_KMS_KEY_IDS', () => {
    // Act
    const attempt = () =>
      assertUpdateAllowed(
        { secretId: 'prod/db', kmsKeyId: 'alias/other' },
        allowlists(undefined, ['alias/prod']),
      );

    // Assess
    expect(attempt).toThrow(SecretUpdateForbiddenError);
    expect(attempt).toThrow(/ALLOWED_KMS_KEY_IDS/);
  });

  it('checks kmsKeyId "" as the AWS managed key alias', () => {
    // Prepare
    const onlyManaged = allowlists(undefined, [AWS_MANAGED_KEY_ALIAS]);
    const onlyCustom = allowlists(undefined, ['alias/prod']);

    // Act
    const toManaged = () => assertUpdateAllowed({ secretId: 'prod/db', kmsKeyId: '' }, onlyManaged);
    const toManagedRefused = () => assertUpdateAllowed({ secretId: 'prod/db', kmsKeyId: '' }, onlyCustom);

    // Assess
    expect(AWS_MANAGED_KEY_ALIAS).toBe('alias/aws/secretsmanager');
    expect(toManaged).not.toThrow();
    expect(toManagedRefused).toThrow(SecretUpdateForbiddenError);
  });

  it('does not check the key list when the request keeps the key', () => {
    expect(() => assertUpdateAllowed({ secretId: 'prod/db' }, allowlists(undefined, []))).not.toThrow();
  });
});
