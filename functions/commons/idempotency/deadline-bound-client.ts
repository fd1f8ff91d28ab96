import { DeleteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { signalForCallNow } from '../pipeline/deadline.ts';

/**
 * Gives every call the client makes inside a delivery's deadline scope (see pipeline/deadline.ts) that
 * delivery's abort signal. The Powertools persistence layer sends its DynamoDB commands without options, so
 * a stalled table would otherwise hold the invocation past its deadline (each attempt may take the full
 * request timeout, and the SDK retries): Lambda would then kill it and an SQS batch would come back whole.
 */
export function boundByDeliveryDeadline(client: DynamoDBClient): DynamoDBClient {
  const send = client.send.bind(client) as (command: unknown, options?: object) => Promise<unknown>;
  const sendWithDeadline = (command: unknown, options?: { abortSignal?: AbortSignal }) => {
    // DeleteItem is Powertools releasing the lock of a write that failed: cleanup, which may outlast the signal.
    const purpose = command instanceof DeleteItemCommand ? 'cleanup' : 'work';
    const abortSignal = options?.abortSignal ?? signalForCallNow(purpose);
    return send(command, abortSignal === undefined ? options : { ...options, abortSignal });
  };
  client.send = sendWithDeadline as DynamoDBClient['send'];
  return client;
}
