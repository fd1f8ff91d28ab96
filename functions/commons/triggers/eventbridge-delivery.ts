import { SecretUpdateValidationError } from '../errors.ts';
import type { Delivery, DeliveryEnvelope } from '../pipeline/delivery.ts';
import { isPlainObject, readCorrelationId } from './envelope-fields.ts';

/** An EventBridge event whose `detail` is the request (delivered to Lambda, or inside an SQS body). */
export function eventBridgeEnvelope(event: unknown): DeliveryEnvelope {
  return {
    trigger: 'eventbridge',
    correlationId: readCorrelationId(event, 'id'),
    open: () => deliveryFromEventBridgeEvent(event),
  };
}

/** Whether a parsed SQS body is an EventBridge event (a rule with an SQS target) rather than a request. */
export function isEventBridgeEvent(body: unknown): body is Record<string, unknown> {
  return (
    isPlainObject(body) &&
    typeof body['detail-type'] === 'string' &&
    typeof body.source === 'string' &&
    Object.hasOwn(body, 'detail')
  );
}

/** The request is `detail`; the event `id` is the default idempotencyKey; `time` is when it was sent. */
export function deliveryFromEventBridgeEvent(event: unknown): Delivery {
  if (!isPlainObject(event) || !Object.hasOwn(event, 'detail')) {
    throw new SecretUpdateValidationError('the EventBridge event has no detail: the request goes in detail');
  }
  const { id, time, detail } = event;
  if (typeof id !== 'string' || id === '') {
    throw new SecretUpdateValidationError('the EventBridge event has no id');
  }
  return { request: detail, defaultIdempotencyKey: id, sentAt: parseEventTime(time) };
}

// EventBridge writes `time` as ISO 8601 in UTC ("2026-12-03T10:00:00Z"); PutEvents accepts a caller's Time.
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

function parseEventTime(time: unknown): Date {
  const parts = typeof time === 'string' ? ISO_8601.exec(time) : null;
  if (parts === null || !isCalendarTime(parts.slice(1).map(Number))) {
    throw new SecretUpdateValidationError('the EventBridge event time must be an ISO 8601 timestamp');
  }
  return new Date(time as string);
}

/** Whether year, month, day, hour, minute and second name a real moment (no 30 February, no 24:00). */
function isCalendarTime([year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0]: number[]): boolean {
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59
  );
}
