import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createSecretsManagerClient } from '../../functions/commons/secrets/secrets-manager-client.ts';

/** A DynamoDB client on the local stack whose `commandName` calls fail (as if the process died there). */
export function dynamoDbFailingOn(commandName: string): DynamoDBClient {
  const client = new DynamoDBClient({});
  client.middlewareStack.add(
    (next, context) => (args) => {
      if (context.commandName === commandName)
        throw new Error(`${commandName} failed (injected by the test)`);
      return next(args);
    },
    { step: 'initialize' },
  );
  return client;
}

/** The product's Secrets Manager client, except that every call throws `failure()` (an unrecognised error). */
export function secretsManagerThrowing(failure: () => Error): SecretsManagerClient {
  const client = createSecretsManagerClient();
  client.middlewareStack.add(
    () => () => {
      throw failure();
    },
    { step: 'build' },
  );
  return client;
}
