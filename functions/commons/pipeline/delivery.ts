/** The trigger a request arrived through; a log field and a part of every result. */
export type Trigger = 'eventbridge' | 'sqs' | 'step-functions';

/** One request as a trigger delivered it, before validation. */
export interface Delivery {
  /** The request object: untrusted, validated by the pipeline. */
  readonly request: unknown;
  /** The idempotencyKey when the request has none: the trigger's stable id for this delivery. */
  readonly defaultIdempotencyKey?: string | undefined;
  /** When the producer sent the request, if the trigger says; used to refuse stale requests. */
  readonly sentAt?: Date | undefined;
}

/** What a handler knows before it opens a delivery: enough to log a failure to open it. */
export interface DeliveryEnvelope {
  readonly trigger: Trigger;
  /** The trigger's own id (event id, messageId, execution key): the log field `correlationId`. */
  readonly correlationId: string;
  /** Reads the delivery out of the trigger's envelope; throws SecretUpdateValidationError when it cannot. */
  readonly open: () => Delivery;
}
