// The cold-start floor of this job with AWS SDK v3: a bundle, built with the functions' own esbuild options,
// that builds the two clients every function needs (Secrets Manager and DynamoDB) and does nothing else.
// The benchmark times it beside the functions, so the report tells the SDK's share of a cold start from ours.
import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient, UpdateSecretCommand } from '@aws-sdk/client-secrets-manager';

export const clients = [new SecretsManagerClient({}), new DynamoDBClient({})];
export const commands = [UpdateSecretCommand, PutItemCommand, UpdateItemCommand];
