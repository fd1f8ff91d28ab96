import type { EventBridgeEvent, SQSEvent } from 'aws-lambda';
import { freshenEvent, loadEvent } from '../../infra/local/sample-events.ts';

export type RequestEvent = EventBridgeEvent<string, Record<string, unknown>>;

/** A sample EventBridge event from events/eventbridge/, new ids and time, `detail` replaced by `detail`. */
export function eventBridgeEvent(
  detail: Record<string, unknown>,
  variant = 'update-secret-string',
): RequestEvent {
  const event = freshenEvent(loadEvent<RequestEvent>(`eventbridge/${variant}.json`));
  return { ...event, detail };
}

/** A sample SQS event from events/sqs/, with new ids and send times. */
export function sqsEvent(variant: string): SQSEvent {
  return freshenEvent(loadEvent<SQSEvent>(`sqs/${variant}.json`));
}

/** An SQS event of one standard-queue record per body (objects are JSON-encoded, strings sent as they are). */
export function sqsEventOf(bodies: readonly unknown[], variant = 'standard-batch'): SQSEvent {
  const template = sqsEvent(variant).Records[0];
  if (template === undefined) throw new Error(`events/sqs/${variant}.json has no record`);
  const event = freshenEvent({
    Records: bodies.map((body) => ({
      ...structuredClone(template),
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })),
  });
  return event as SQSEvent;
}
