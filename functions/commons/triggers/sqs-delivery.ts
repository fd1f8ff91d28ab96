import { createHash } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import { SecretUpdateValidationError } from '../errors.ts';
import type { Delivery, DeliveryEnvelope } from '../pipeline/delivery.ts';
import { isPlainObject, readCorrelationId } from './envelope-fields.ts';
import { deliveryFromEventBridgeEvent, isEventBridgeEvent } from './eventbridge-delivery.ts';

export function sqsRecordEnvelope(record: SQSRecord): DeliveryEnvelope {
  return {
    trigger: 'sqs',
    correlationId: readCorrelationId(record, 'messageId'),
    open: () => deliveryFromSqsRecord(record),
  };
}

/**
 * The body is a request, or an EventBridge event whose `detail` is the request. The default idempotencyKey
 * is the most stable id available: the EventBridge event id, else the FIFO MessageDeduplicationId (a
 * producer's resend keeps it) unless SQS derived it from the body, else the messageId.
 */
export function deliveryFromSqsRecord(record: SQSRecord): Delivery {
  if (!isPlainObject(record) || typeof record.body !== 'string') {
    throw new SecretUpdateValidationError('the SQS record has no body');
  }
  const body = parseBody(record.body);
  const sentAt = parseSentTimestamp(record.attributes?.SentTimestamp);
  if (isEventBridgeEvent(body)) {
    const delivery = deliveryFromEventBridgeEvent(body);
    return {
      ...delivery,
      sentAt: delivery.sentAt === undefined ? sentAt : earliest(delivery.sentAt, sentAt),
    };
  }
  const messageId =
    typeof record.messageId === 'string' && record.messageId !== '' ? record.messageId : undefined;
  return {
    request: body,
    defaultIdempotencyKey: producerDeduplicationId(record) ?? messageId,
    sentAt,
  };
}

/**
 * The FIFO MessageDeduplicationId when the producer chose it. With content-based deduplication SQS sets it
 * to the SHA-256 of the body, which holds the value: as a key (logged, stored, turned into the token and
 * so the VersionId) it would let anyone test guesses of a low-entropy value. Then the messageId is used.
 */
function producerDeduplicationId(record: SQSRecord): string | undefined {
  const deduplicationId = record.attributes?.MessageDeduplicationId;
  if (typeof deduplicationId !== 'string' || deduplicationId === '') return undefined;
  const bodyHash = createHash('sha256').update(record.body, 'utf8').digest('hex');
  return deduplicationId.toLowerCase() === bodyHash ? undefined : deduplicationId;
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    // JSON.parse's message quotes the input: it is neither passed on nor chained.
    throw new SecretUpdateValidationError('the SQS message body is not valid JSON');
  }
}

/** SQS always sets SentTimestamp (epoch milliseconds); without a valid one the age cannot be checked. */
function parseSentTimestamp(sentTimestamp: string | undefined): Date {
  const sentAt =
    typeof sentTimestamp === 'string' && /^\d{1,15}$/.test(sentTimestamp)
      ? new Date(Number(sentTimestamp))
      : undefined;
  if (sentAt === undefined || Number.isNaN(sentAt.getTime())) {
    throw new SecretUpdateValidationError('the SQS record has no valid SentTimestamp attribute');
  }
  return sentAt;
}

const earliest = (first: Date, second: Date): Date => (first.getTime() <= second.getTime() ? first : second);
