import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../functions/commons/config.ts';
import { ConfigurationError } from '../../../functions/commons/errors.ts';

const TABLE = { IDEMPOTENCY_TABLE_NAME: 'secret-updater-idempotency' };

const configurationErrorOf = (environment: Record<string, string | undefined>): ConfigurationError => {
  let thrown: unknown;
  try {
    readConfig(environment);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ConfigurationError);
  expect((thrown as Error).name).toBe('ConfigurationError');
  return thrown as ConfigurationError;
};

describe('readConfig', () => {
  it.each([
    ['missing', {}],
    ['empty', { IDEMPOTENCY_TABLE_NAME: '' }],
    ['blank', { IDEMPOTENCY_TABLE_NAME: '   ' }],
  ])('refuses a %s IDEMPOTENCY_TABLE_NAME, naming it', (_label, environment) => {
    // Act
    const error = configurationErrorOf(environment);

    // Assess
    expect(error.message).toContain('IDEMPOTENCY_TABLE_NAME');
  });

  it('applies the documented defaults', () => {
    // Act
    const config = readConfig(TABLE);

    // Assess
    expect(config).toEqual({
      idempotencyTableName: 'secret-updater-idempotency',
      idempotencyExpiresAfterSeconds: 86_400,
      maxRequestAgeSeconds: 86_400,
      allowedSecretIds: undefined,
      allowedKmsKeyIds: undefined,
      batchConcurrency: 10,
    });
  });

  it('defaults the maximum request age to a configured idempotency expiry', () => {
    // Act
    const config = readConfig({ ...TABLE, IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '3600' });

    // Assess
    expect(config.maxRequestAgeSeconds).toBe(3_600);
  });

  it('accepts a maximum request age equal to the idempotency expiry', () => {
    // Act
    const config = readConfig({
      ...TABLE,
      IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '3600',
      MAX_REQUEST_AGE_SECONDS: '3600',
    });

    // Assess
    expect(config.maxRequestAgeSeconds).toBe(3_600);
  });

  it('refuses a maximum request age longer than the idempotency expiry', () => {
    // Act
    const error = configurationErrorOf({
      ...TABLE,
      IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '3600',
      MAX_REQUEST_AGE_SECONDS: '3601',
    });

    // Assess
    expect(error.message).toContain('MAX_REQUEST_AGE_SECONDS');
    expect(error.message).toContain('IDEMPOTENCY_EXPIRES_AFTER_SECONDS (3600)');
  });

  it('refuses a maximum request age longer than the default expiry', () => {
    // Act
    const error = configurationErrorOf({ ...TABLE, MAX_REQUEST_AGE_SECONDS: '86401' });

    // Assess
    expect(error.message).toContain('MAX_REQUEST_AGE_SECONDS');
  });

  it.each(['ten', '1.5', '-1', '1e3', '0x10', '12abc'])(
    'refuses the non-whole number %s, naming the variable',
    (value) => {
      // Act
      const error = configurationErrorOf({ ...TABLE, BATCH_CONCURRENCY: value });

      // Assess
      expect(error.message).toBe('BATCH_CONCURRENCY must be a whole number');
    },
  );

  it.each(['0', '51'])('refuses BATCH_CONCURRENCY %s', (value) => {
    // Act
    const error = configurationErrorOf({ ...TABLE, BATCH_CONCURRENCY: value });

    // Assess
    expect(error.message).toBe('BATCH_CONCURRENCY must be between 1 and 50');
  });

  it.each([
    ['1', 1],
    ['50', 50],
    [' 7 ', 7],
  ])('accepts BATCH_CONCURRENCY %j', (value, expected) => {
    expect(readConfig({ ...TABLE, BATCH_CONCURRENCY: value }).batchConcurrency).toBe(expected);
  });

  it.each([
    ['IDEMPOTENCY_EXPIRES_AFTER_SECONDS', '59'],
    ['IDEMPOTENCY_EXPIRES_AFTER_SECONDS', '86401'],
    ['MAX_REQUEST_AGE_SECONDS', '0'],
  ])('refuses %s=%s as out of range', (name, value) => {
    // Act
    const error = configurationErrorOf({ ...TABLE, [name]: value });

    // Assess
    expect(error.message).toMatch(new RegExp(`^${name} must be between`));
  });

  it('trims the patterns of comma lists and drops empty entries', () => {
    // Act
    const config = readConfig({
      ...TABLE,
      ALLOWED_SECRET_IDS: ' prod/* , arn:aws:secretsmanager:*:123456789012:secret:app/*,, ',
      ALLOWED_KMS_KEY_IDS: 'alias/prod,alias/aws/secretsmanager',
    });

    // Assess
    expect(config.allowedSecretIds).toEqual(['prod/*', 'arn:aws:secretsmanager:*:123456789012:secret:app/*']);
    expect(config.allowedKmsKeyIds).toEqual(['alias/prod', 'alias/aws/secretsmanager']);
  });

  it('refuses a list made only of commas, naming it', () => {
    // Act
    const error = configurationErrorOf({ ...TABLE, ALLOWED_KMS_KEY_IDS: ' , ,' });

    // Assess
    expect(error.message).toBe('ALLOWED_KMS_KEY_IDS must list at least one pattern');
  });
});

describe('readConfig and the settings of Powertools and the SDK', () => {
  it.each([
    ['POWERTOOLS_LOG_LEVEL', 'LOUD', 'POWERTOOLS_LOG_LEVEL must be one of'],
    ['AWS_ENDPOINT_URL', 'not-a-url', 'AWS_ENDPOINT_URL must be an http:// or https:// URL'],
    ['AWS_ENDPOINT_URL', 'http://a b', 'AWS_ENDPOINT_URL must be an http:// or https:// URL'],
    ['AWS_ENDPOINT_URL', 'https://h:99999', 'AWS_ENDPOINT_URL must be an http:// or https:// URL'],
    ['POWERTOOLS_IDEMPOTENCY_DISABLED', 'true', 'POWERTOOLS_IDEMPOTENCY_DISABLED must not be set'],
    ['POWERTOOLS_DEV', 'true', 'POWERTOOLS_DEV must not be set'],
    ['POWERTOOLS_DEV', '1', 'POWERTOOLS_DEV must not be set'],
  ])('stops the start when %s is %s', (name, value, message) => {
    // Act
    const read = () => readConfig({ IDEMPOTENCY_TABLE_NAME: 'table', [name]: value });

    // Assess
    expect(read).toThrow(
      expect.objectContaining({ name: 'ConfigurationError', message: expect.stringContaining(message) }),
    );
  });

  it('accepts a log level in any case and a loopback endpoint', () => {
    // Act
    const read = () =>
      readConfig({
        IDEMPOTENCY_TABLE_NAME: 'table',
        POWERTOOLS_LOG_LEVEL: 'debug',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      });

    // Assess
    expect(read).not.toThrow();
  });
});
