import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { scheduleBatch } from '#commons/batch/record-scheduler.ts';
import { SecretUpdateRetryableError, SecretUpdateValidationError } from '#commons/errors.ts';
import type { UpdatePipeline } from '#commons/pipeline/update-pipeline.ts';
import { runtimeFromEnvironment } from '#commons/runtime.ts';
import { sqsRecordEnvelope } from '#commons/triggers/sqs-delivery.ts';

/**
 * SQS (standard or FIFO): each record's body is a request or an EventBridge event. Records run in parallel
 * up to `batchConcurrency`; `batchItemFailures` lists exactly the failed records, permanent and retryable
 * alike, so the redrive policy moves poison messages to the dead-letter queue.
 */
const NOT_SQS = 'the event is not an SQS event: it needs a Records list of records with a messageId';

/** Every record must carry the messageId that batchItemFailures reports it by. */
const isSqsEvent = (event: SQSEvent | null | undefined): event is SQSEvent =>
  Array.isArray(event?.Records) &&
  event.Records.every(
    (record: unknown) =>
      typeof record === 'object' &&
      record !== null &&
      typeof (record as SQSRecord).messageId === 'string' &&
      (record as SQSRecord).messageId !== '',
  );
const GROUP_BLOCKED =
  'an earlier message of its FIFO message group failed: returned unprocessed to keep the order';

export const createSqsHandler =
  (pipeline: UpdatePipeline, batchConcurrency: number) =>
  async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    if (!isSqsEvent(event)) {
      // Not an SQS event (or a record that cannot be reported back): the whole invocation fails, with a
      // named error rather than a TypeError.
      throw pipeline.reject(
        { trigger: 'sqs', correlationId: 'unknown' },
        new SecretUpdateValidationError(NOT_SQS),
        context,
      );
    }
    const runInTurn = scheduleBatch(event.Records, batchConcurrency);
    const processRecord = (record: SQSRecord) => {
      const envelope = sqsRecordEnvelope(record);
      return runInTurn(
        record,
        () => pipeline.apply(envelope, context),
        () => pipeline.reject(envelope, new SecretUpdateRetryableError(GROUP_BLOCKED), context),
      );
    };
    return processPartialResponse(event, processRecord, new BatchProcessor(EventType.SQS), {
      ...(context === undefined ? {} : { context }),
      throwOnFullBatchFailure: false,
      processInParallel: true,
    });
  };

const { pipeline, config } = runtimeFromEnvironment();
export const handler = createSqsHandler(pipeline, config.batchConcurrency);
