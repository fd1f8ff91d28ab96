import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/** The folder of the sample events: one folder per source, shared by `npm start`, `npm run invoke` and the tests. */
export const EVENTS_DIRECTORY = resolve(import.meta.dirname, '../../events');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Reads a sample event (a path relative to events/, or any path) as a fresh deep copy. */
export function loadEvent<T = JsonObject>(path: string): T {
  const file = isAbsolute(path) ? path : resolve(EVENTS_DIRECTORY, path);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/**
 * Makes a stored sample event new: new event ids and messageIds, send times of `now`, and a `runId` suffix
 * on idempotency keys and deduplication ids, fresh clientRequestTokens. A long-lived local stack then sees
 * every run as new updates, and the send times pass the request-age check.
 */
export function freshenEvent<T>(event: T, now = new Date(), runId = randomUUID().slice(0, 8)): T {
  const copy = structuredClone(event) as unknown as JsonObject;
  if (Array.isArray(copy.Records)) {
    copy.Records = copy.Records.map((record) => freshenSqsRecord(record as JsonObject, now, runId));
  } else if (typeof copy['detail-type'] === 'string') {
    freshenEventBridgeEvent(copy, now, runId);
  } else {
    freshenRequest(copy, runId);
  }
  return copy as unknown as T;
}

function freshenEventBridgeEvent(event: JsonObject, now: Date, runId: string): void {
  event.id = randomUUID();
  event.time = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (isObject(event.detail)) freshenRequest(event.detail, runId);
}

function freshenSqsRecord(record: JsonObject, now: Date, runId: string): JsonObject {
  const attributes = isObject(record.attributes) ? record.attributes : {};
  attributes.SentTimestamp = String(now.getTime());
  attributes.ApproximateFirstReceiveTimestamp = String(now.getTime() + 40);
  if (typeof attributes.MessageDeduplicationId === 'string') {
    attributes.MessageDeduplicationId = `${attributes.MessageDeduplicationId}-${runId}`;
  }
  record.messageId = randomUUID();
  if (typeof record.body === 'string') {
    record.body = freshenBody(record.body, now, runId);
    record.md5OfBody = createHash('md5').update(record.body).digest('hex');
  }
  return { ...record, attributes };
}

function freshenBody(body: string, now: Date, runId: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body; // a deliberately malformed body stays malformed
  }
  if (!isObject(parsed)) return body;
  if (typeof parsed['detail-type'] === 'string') freshenEventBridgeEvent(parsed, now, runId);
  else freshenRequest(parsed, runId);
  return JSON.stringify(parsed);
}

function freshenRequest(request: JsonObject, runId: string): void {
  if (typeof request.idempotencyKey === 'string')
    request.idempotencyKey = `${request.idempotencyKey}-${runId}`;
  if (typeof request.clientRequestToken === 'string')
    request.clientRequestToken = `sample-token-${randomUUID()}`;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
