import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { scheduleBatch } from '#commons/batch/record-scheduler.ts';
import type { UpdatePipeline } from '#commons/pipeline/update-pipeline.ts';
import { runtimeFromEnvironment } from '#commons/runtime.ts';
import { sqsRecordEnvelope } from '#commons/triggers/sqs-delivery.ts';

/**
 * SQS (standard or FIFO): each record's body is a request or an EventBridge event. Records run in parallel
 * up to `batchConcurrency`; `batchItemFailures` lists exactly the failed records, permanent and retryable
 * alike, so the redrive policy moves poison messages to the dead-letter queue.
 */
export const createSqsHandler =
  (pipeline: UpdatePipeline, batchConcurrency: number) =>
  async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    const runInTurn = scheduleBatch(event.Records ?? [], batchConcurrency);
    const processRecord = (record: SQSRecord) => {
      const envelope = sqsRecordEnvelope(record);
      return runInTurn(
        record,
        () => pipeline.apply(envelope, context),
        () => pipeline.skip(envelope, 'an earlier message of its FIFO message group failed'),
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
