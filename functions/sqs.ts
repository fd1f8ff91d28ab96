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
const NOT_SQS = 'the event is not an SQS event: it has no Records list';
const GROUP_BLOCKED =
  'an earlier message of its FIFO message group failed: returned unprocessed to keep the order';

export const createSqsHandler =
  (pipeline: UpdatePipeline, batchConcurrency: number) =>
  async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    if (!Array.isArray(event?.Records)) {
      // Not an SQS event: the whole invocation fails, with a named error rather than a TypeError.
      throw pipeline.reject(
        { trigger: 'sqs', correlationId: 'unknown' },
        new SecretUpdateValidationError(NOT_SQS),
      );
    }
    const runInTurn = scheduleBatch(event.Records, batchConcurrency);
    const processRecord = (record: SQSRecord) => {
      const envelope = sqsRecordEnvelope(record);
      return runInTurn(
        record,
        () => pipeline.apply(envelope, context),
        () => pipeline.reject(envelope, new SecretUpdateRetryableError(GROUP_BLOCKED)),
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
