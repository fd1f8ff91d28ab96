import { ConfigurationError } from './errors.ts';

/** Settings read once at init from the environment (see the README's configuration table). */
export interface SecretUpdaterConfig {
  /** DynamoDB table holding the idempotency records. */
  readonly idempotencyTableName: string;
  /** How long a completed update is remembered and replayed to duplicates. */
  readonly idempotencyExpiresAfterSeconds: number;
  /** Requests older than this are refused; never longer than the idempotency expiry. */
  readonly maxRequestAgeSeconds: number;
  /** Glob patterns (`*` matches any run of characters) a secretId must match; undefined allows any. */
  readonly allowedSecretIds: readonly string[] | undefined;
  /** Glob patterns a kmsKeyId must match; undefined allows any. */
  readonly allowedKmsKeyIds: readonly string[] | undefined;
  /** How many SQS records of one batch are applied at the same time. */
  readonly batchConcurrency: number;
}

export const DEFAULT_IDEMPOTENCY_EXPIRES_AFTER_SECONDS = 86_400;
/**
 * At most a day. A replayed duplicate re-sends its UpdateSecret (Secrets Manager compares the values), and
 * Secrets Manager removes unlabelled versions older than 24 hours once a secret has more than 100: re-sent
 * later, the old token would create its version again, as AWSCURRENT. Within a day (and with requests older
 * than the expiry refused) the version a duplicate names still exists.
 */
export const MAX_IDEMPOTENCY_EXPIRES_AFTER_SECONDS = 86_400;
export const DEFAULT_BATCH_CONCURRENCY = 10;
// Secrets Manager allows 50 UpdateSecret calls per second per region: more in flight only buys throttling.
const MAX_BATCH_CONCURRENCY = 50;

type Environment = Readonly<Record<string, string | undefined>>;

/** Reads and validates the configuration; throws a ConfigurationError naming the first bad variable. */
export function readConfig(environment: Environment): SecretUpdaterConfig {
  const idempotencyTableName = readRequiredString(environment, 'IDEMPOTENCY_TABLE_NAME');
  const idempotencyExpiresAfterSeconds = readInteger(
    environment,
    'IDEMPOTENCY_EXPIRES_AFTER_SECONDS',
    DEFAULT_IDEMPOTENCY_EXPIRES_AFTER_SECONDS,
    { min: 60, max: MAX_IDEMPOTENCY_EXPIRES_AFTER_SECONDS },
  );
  const maxRequestAgeSeconds = readInteger(
    environment,
    'MAX_REQUEST_AGE_SECONDS',
    idempotencyExpiresAfterSeconds,
    // A request older than the idempotency records could be a duplicate of an update whose record is gone:
    // applying it again could make an old value current.
    { min: 1, max: idempotencyExpiresAfterSeconds, maxName: 'IDEMPOTENCY_EXPIRES_AFTER_SECONDS' },
  );
  checkSdkAndLoggerSettings(environment);
  return {
    idempotencyTableName,
    idempotencyExpiresAfterSeconds,
    maxRequestAgeSeconds,
    allowedSecretIds: readPatternList(environment, 'ALLOWED_SECRET_IDS'),
    allowedKmsKeyIds: readPatternList(environment, 'ALLOWED_KMS_KEY_IDS'),
    batchConcurrency: readInteger(environment, 'BATCH_CONCURRENCY', DEFAULT_BATCH_CONCURRENCY, {
      min: 1,
      max: MAX_BATCH_CONCURRENCY,
    }),
  };
}

const LOG_LEVELS = new Set(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT']);

/**
 * Settings read by Powertools and the AWS SDK rather than by us, checked here so that a typo stops the start
 * instead of being ignored (a log level) or failing every request later (an endpoint).
 */
function checkSdkAndLoggerSettings(environment: Environment): void {
  const logLevel = environment.POWERTOOLS_LOG_LEVEL?.trim();
  if (logLevel && !LOG_LEVELS.has(logLevel.toUpperCase())) {
    throw new ConfigurationError(`POWERTOOLS_LOG_LEVEL must be one of ${[...LOG_LEVELS].join(', ')}`);
  }
  const endpoint = environment.AWS_ENDPOINT_URL?.trim();
  if (endpoint && !isHttpUrl(endpoint)) {
    throw new ConfigurationError('AWS_ENDPOINT_URL must be an http:// or https:// URL');
  }
  // Powertools turns idempotency off when this is true: duplicates would then each create a version.
  const idempotencyDisabled = environment.POWERTOOLS_IDEMPOTENCY_DISABLED?.trim().toLowerCase();
  if (idempotencyDisabled && !FALSE_WORDS.includes(idempotencyDisabled)) {
    throw new ConfigurationError(
      'POWERTOOLS_IDEMPOTENCY_DISABLED must not be set: the functions rely on idempotency',
    );
  }
  // Powertools' development mode pretty-prints and splits an error's stack into lines, each masked on its
  // own: a value quoted across lines in an error message would show through.
  const devMode = environment.POWERTOOLS_DEV?.trim().toLowerCase();
  if (devMode && !FALSE_WORDS.includes(devMode)) {
    throw new ConfigurationError('POWERTOOLS_DEV must not be set: it defeats the masking of error stacks');
  }
}

/** What Powertools reads as false in a boolean setting (anything else set turns it on). */
const FALSE_WORDS = ['', 'false', '0', 'no', 'n', 'off'];

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function readRequiredString(environment: Environment, name: string): string {
  const value = environment[name]?.trim();
  if (!value) throw new ConfigurationError(`${name} is required and must not be empty`);
  return value;
}

interface IntegerBounds {
  readonly min: number;
  readonly max: number;
  readonly maxName?: string;
}

function readInteger(
  environment: Environment,
  name: string,
  fallback: number,
  bounds: IntegerBounds,
): number {
  const raw = environment[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigurationError(`${name} must be a whole number`);
  const value = Number(raw);
  const maxText = bounds.maxName ? `${bounds.maxName} (${bounds.max})` : String(bounds.max);
  if (value < bounds.min || value > bounds.max) {
    throw new ConfigurationError(`${name} must be between ${bounds.min} and ${maxText}`);
  }
  return value;
}

function readPatternList(environment: Environment, name: string): readonly string[] | undefined {
  const raw = environment[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const patterns = raw
    .split(',')
    .map((pattern) => pattern.trim())
    .filter((pattern) => pattern !== '');
  if (patterns.length === 0) throw new ConfigurationError(`${name} must list at least one pattern`);
  return patterns;
}
