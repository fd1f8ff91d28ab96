import type { Context } from 'aws-lambda';
import type { SecretUpdateResult } from '#commons/pipeline/secret-update-result.ts';
import type { UpdatePipeline } from '#commons/pipeline/update-pipeline.ts';
import { runtimeFromEnvironment } from '#commons/runtime.ts';
import { stepFunctionsEnvelope } from '#commons/triggers/step-functions-delivery.ts';

/** Step Functions (direct invoke): the input is the request; returns the result, throws the named errors for Retry/Catch. */
export const createStepFunctionsHandler =
  (pipeline: UpdatePipeline) =>
  (input: unknown, context?: Context): Promise<SecretUpdateResult> =>
    pipeline.apply(stepFunctionsEnvelope(input), context);

export const handler = createStepFunctionsHandler(runtimeFromEnvironment().pipeline);
