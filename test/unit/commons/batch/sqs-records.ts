import type { SQSRecord } from 'aws-lambda';

const STANDARD_QUEUE = 'arn:aws:sqs:us-east-1:123456789012:secret-updates';
const FIFO_QUEUE = 'arn:aws:sqs:us-east-1:123456789012:secret-updates.fifo';

/** A minimal SQS record: only what the scheduler reads (messageId, queue ARN, message group) is real. */
export function sqsRecord(messageId: string, queue: 'standard' | 'fifo', messageGroupId?: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body: '{}',
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1767225600000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1767225600000',
      ...(messageGroupId === undefined ? {} : { MessageGroupId: messageGroupId }),
    },
    messageAttributes: {},
    md5OfBody: '99914b932bd37a50b983c5e7c90ae93b',
    eventSource: 'aws:sqs',
    eventSourceARN: queue === 'fifo' ? FIFO_QUEUE : STANDARD_QUEUE,
    awsRegion: 'us-east-1',
  };
}
