import type { Context } from 'aws-lambda';
import type { SecretUpdateResult } from '#commons/pipeline/secret-update-result.ts';
import type { UpdatePipeline } from '#commons/pipeline/update-pipeline.ts';
import { runtimeFromEnvironment } from '#commons/runtime.ts';
import { eventBridgeEnvelope } from '#commons/triggers/eventbridge-delivery.ts';

/** EventBridge (async invoke): `detail` is the request. Every failure is thrown, so Lambda's retries and the on-failure destination apply. */
export const createEventBridgeHandler =
  (pipeline: UpdatePipeline) =>
  (event: unknown, context?: Context): Promise<SecretUpdateResult> =>
    pipeline.apply(eventBridgeEnvelope(event), context);

export const handler = createEventBridgeHandler(runtimeFromEnvironment().pipeline);
