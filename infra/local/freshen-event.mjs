// Makes a stored sample event new. Plain JavaScript (checked by tsc through JSDoc) so that both the npm
// scripts (TypeScript, through tsx) and the `sls invoke local` plugin (CommonJS, loaded by the framework)
// use this one copy.
import { createHash, randomUUID } from 'node:crypto';

/** @typedef {null | boolean | number | string | Json[] | { [key: string]: Json }} Json */
/** @typedef {{ [key: string]: Json }} JsonObject */

/**
 * @typedef {object} FreshenOptions
 * @property {Date} [now]
 * @property {boolean} [renewKeys] Also make the update keys new: a suffix on idempotency keys and FIFO
 *   deduplication ids, and a new clientRequestToken, so that a long-lived local stack sees every run as new
 *   updates (`npm start`). Without it only the envelope is new (ids and send times), and the request stays
 *   as written.
 * @property {string} [runId]
 */

/**
 * @typedef {object} Settings
 * @property {Date} now
 * @property {string | undefined} keySuffix Appended to update keys; undefined leaves them as they are.
 */

/**
 * Makes a stored sample event new: new event ids and messageIds and send times of now (so that it passes
 * the request-age check), and with `renewKeys`, new update keys too.
 * @template T
 * @param {T} event
 * @param {FreshenOptions} [options]
 * @returns {T}
 */
export function freshenEvent(event, options = {}) {
  /** @type {Settings} */
  const settings = {
    now: options.now ?? new Date(),
    keySuffix: options.renewKeys === true ? `-${options.runId ?? randomUUID().slice(0, 8)}` : undefined,
  };
  const copy = /** @type {JsonObject} */ (structuredClone(event));
  if (Array.isArray(copy.Records)) {
    copy.Records = copy.Records.map((record) =>
      freshenSqsRecord(/** @type {JsonObject} */ (record), settings),
    );
  } else if (typeof copy['detail-type'] === 'string') {
    freshenEventBridgeEvent(copy, settings);
  } else {
    freshenRequest(copy, settings);
  }
  return /** @type {T} */ (/** @type {unknown} */ (copy));
}

/**
 * @param {JsonObject} event
 * @param {Settings} settings
 */
function freshenEventBridgeEvent(event, settings) {
  event.id = randomUUID();
  event.time = settings.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (isObject(event.detail)) freshenRequest(event.detail, settings);
}

/**
 * @param {JsonObject} record
 * @param {Settings} settings
 * @returns {JsonObject}
 */
function freshenSqsRecord(record, settings) {
  const attributes = isObject(record.attributes) ? record.attributes : {};
  attributes.SentTimestamp = String(settings.now.getTime());
  attributes.ApproximateFirstReceiveTimestamp = String(settings.now.getTime() + 40);
  if (typeof attributes.MessageDeduplicationId === 'string' && settings.keySuffix !== undefined) {
    attributes.MessageDeduplicationId = `${attributes.MessageDeduplicationId}${settings.keySuffix}`;
  }
  record.messageId = randomUUID();
  if (typeof record.body === 'string') {
    record.body = freshenBody(record.body, settings);
    record.md5OfBody = createHash('md5').update(record.body).digest('hex');
  }
  return { ...record, attributes };
}

/**
 * @param {string} body
 * @param {Settings} settings
 * @returns {string}
 */
function freshenBody(body, settings) {
  /** @type {unknown} */
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body; // a deliberately malformed body stays malformed
  }
  if (!isObject(parsed)) return body;
  if (typeof parsed['detail-type'] === 'string') freshenEventBridgeEvent(parsed, settings);
  else if (settings.keySuffix !== undefined) freshenRequest(parsed, settings);
  else return body; // the request is kept byte for byte
  return JSON.stringify(parsed);
}

/**
 * @param {JsonObject} request
 * @param {Settings} settings
 */
function freshenRequest(request, settings) {
  if (settings.keySuffix === undefined) return;
  if (typeof request.idempotencyKey === 'string') {
    request.idempotencyKey = `${request.idempotencyKey}${settings.keySuffix}`;
  }
  if (typeof request.clientRequestToken === 'string')
    request.clientRequestToken = `sample-token-${randomUUID()}`;
}

/**
 * @param {unknown} value
 * @returns {value is JsonObject}
 */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
