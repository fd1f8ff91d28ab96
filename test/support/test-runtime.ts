import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readConfig } from '../../functions/commons/config.ts';
import { createRuntime } from '../../functions/commons/runtime.ts';
import {
  AWS_REQUEST_TIMEOUTS,
  createSecretsManagerClient,
} from '../../functions/commons/secrets/secrets-manager-client.ts';
import { createEventBridgeHandler } from '../../functions/eventbridge.ts';
import { createSqsHandler } from '../../functions/sqs.ts';
import { createStepFunctionsHandler } from '../../functions/step-functions.ts';
import { countCalls, totalCalls } from './call-counter.ts';

export interface TestRuntimeOptions {
  /** Environment variables on top of the local stack's (ALLOWED_SECRET_IDS, BATCH_CONCURRENCY, ...). */
  readonly environment?: Record<string, string>;
  readonly now?: () => Date;
  /** Where the handlers' AWS calls go (a fault proxy); the local stack by default. */
  readonly endpoint?: string;
}

/**
 * The three handlers wired exactly as in production (configuration read from the environment, real clients
 * to the local stack), with every AWS call counted.
 */
export function createTestRuntime(options: TestRuntimeOptions = {}) {
  const config = readConfig({ ...process.env, ...options.environment });
  const endpoint = options.endpoint === undefined ? {} : { endpoint: options.endpoint };
  const secretsManagerClient = createSecretsManagerClient(endpoint);
  const dynamoDbClient = new DynamoDBClient({ requestHandler: AWS_REQUEST_TIMEOUTS, ...endpoint });
  const calls = { secretsManager: countCalls(secretsManagerClient), dynamoDb: countCalls(dynamoDbClient) };
  const { pipeline } = createRuntime(config, {
    secretsManagerClient,
    dynamoDbClient,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return {
    pipeline,
    calls,
    totalAwsCalls: () => totalCalls(calls.secretsManager) + totalCalls(calls.dynamoDb),
    eventbridge: createEventBridgeHandler(pipeline),
    sqs: createSqsHandler(pipeline, config.batchConcurrency),
    stepFunctions: createStepFunctionsHandler(pipeline),
  };
}
