/**
 * Fields of a log line whose values the functions generate or that identify the request (ids, enums,
 * timestamps, our own error messages). They never hold a secret, so the masking of secret values inside
 * text leaves them whole: replacing a short value inside them would corrupt them and, worse, show where the
 * value occurs (a secret "2026" masked inside a timestamp tells the secret).
 */
export const IDENTIFYING_FIELDS: ReadonlySet<string> = new Set([
  'timestamp',
  'level',
  'service',
  'sampling_rate',
  'trigger',
  'correlationId',
  'secretId',
  'idempotencyKey',
  'clientRequestToken',
  'versionId',
  'outcome',
  'errorName',
  'retryable',
  'errorMessage',
  'function_name',
  'function_arn',
  'function_memory_size',
  'function_request_id',
  'cold_start',
  'xray_trace_id',
]);

/** The messages of the one line per request (documented: log queries match on them). */
export const UPDATE_LOG_MESSAGES = {
  applied: 'secret update applied',
  refused: 'secret update refused',
  retried: 'secret update failed, will be retried',
  unexpected: 'secret update failed unexpectedly',
} as const;

const OWN_MESSAGES: ReadonlySet<string> = new Set(Object.values(UPDATE_LOG_MESSAGES));

/** Whether a field's text is ours: left whole by the masking of secret values (never by the key masking). */
export const isOwnText = (key: string, value: string): boolean =>
  IDENTIFYING_FIELDS.has(key) || (key === 'message' && OWN_MESSAGES.has(value));
