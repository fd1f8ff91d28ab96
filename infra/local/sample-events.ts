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

export interface FreshenOptions {
  readonly now?: Date;
  /**
   * Also make the update keys new: a suffix on idempotency keys and FIFO deduplication ids, and a new
   * clientRequestToken, so that a long-lived local stack sees every run as new updates (`npm start`).
   * Without it only the envelope is new (ids and send times), and the request stays as written.
   */
  readonly renewKeys?: boolean;
  readonly runId?: string;
}

/**
 * Makes a stored sample event new: new event ids and messageIds and send times of now (so that it passes
 * the request-age check), and with `renewKeys`, new update keys too.
 */
export function freshenEvent<T>(event: T, options: FreshenOptions = {}): T {
  const settings: Settings = {
    now: options.now ?? new Date(),
    keySuffix: options.renewKeys === true ? `-${options.runId ?? randomUUID().slice(0, 8)}` : undefined,
  };
  const copy = structuredClone(event) as unknown as JsonObject;
  if (Array.isArray(copy.Records)) {
    copy.Records = copy.Records.map((record) => freshenSqsRecord(record as JsonObject, settings));
  } else if (typeof copy['detail-type'] === 'string') {
    freshenEventBridgeEvent(copy, settings);
  } else {
    freshenRequest(copy, settings);
  }
  return copy as unknown as T;
}

interface Settings {
  readonly now: Date;
  /** Appended to update keys; undefined leaves them as they are. */
  readonly keySuffix: string | undefined;
}

function freshenEventBridgeEvent(event: JsonObject, settings: Settings): void {
  event.id = randomUUID();
  event.time = settings.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (isObject(event.detail)) freshenRequest(event.detail, settings);
}

function freshenSqsRecord(record: JsonObject, settings: Settings): JsonObject {
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

function freshenBody(body: string, settings: Settings): string {
  let parsed: unknown;
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

function freshenRequest(request: JsonObject, settings: Settings): void {
  if (settings.keySuffix === undefined) return;
  if (typeof request.idempotencyKey === 'string') {
    request.idempotencyKey = `${request.idempotencyKey}${settings.keySuffix}`;
  }
  if (typeof request.clientRequestToken === 'string')
    request.clientRequestToken = `sample-token-${randomUUID()}`;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
