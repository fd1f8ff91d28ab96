import { createHash, randomUUID } from 'node:crypto';
import type { EventBridgeEvent, SQSEvent } from 'aws-lambda';
import { freshenEvent, loadEvent } from '../../infra/local/sample-events.ts';

export type RequestEvent = EventBridgeEvent<string, Record<string, unknown>>;

/** A sample EventBridge event from events/eventbridge/, new ids and time, `detail` replaced by `detail`. */
export function eventBridgeEvent(
  detail: Record<string, unknown>,
  variant = 'update-secret-string',
): RequestEvent {
  const event = freshenEvent(loadEvent<RequestEvent>(`eventbridge/${variant}.json`), { renewKeys: true });
  return { ...event, detail };
}

/** A sample SQS event from events/sqs/, with new ids and send times. */
export function sqsEvent(variant: string): SQSEvent {
  return freshenEvent(loadEvent<SQSEvent>(`sqs/${variant}.json`), { renewKeys: true });
}

/**
 * An SQS event with one record per body (objects are JSON-encoded, strings sent as they are), shaped like
 * the records of events/sqs/<variant>.json, with new messageIds and send times. Bodies are kept exactly.
 */
export function sqsEventOf(bodies: readonly unknown[], variant = 'standard-batch'): SQSEvent {
  const template = loadEvent<SQSEvent>(`sqs/${variant}.json`).Records[0];
  if (template === undefined) throw new Error(`events/sqs/${variant}.json has no record`);
  const now = Date.now();
  return {
    Records: bodies.map((body) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      return {
        ...structuredClone(template),
        messageId: randomUUID(),
        body: text,
        md5OfBody: createHash('md5').update(text).digest('hex'),
        attributes: {
          ...template.attributes,
          SentTimestamp: String(now),
          ApproximateFirstReceiveTimestamp: String(now + 40),
        },
      };
    }),
  };
}
