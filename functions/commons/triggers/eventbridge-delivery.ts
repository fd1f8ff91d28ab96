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
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

function parseEventTime(time: unknown): Date {
  const sentAt = typeof time === 'string' && ISO_8601.test(time) ? new Date(time) : undefined;
  if (sentAt === undefined || Number.isNaN(sentAt.getTime())) {
    throw new SecretUpdateValidationError('the EventBridge event time must be an ISO 8601 timestamp');
  }
  return sentAt;
}
