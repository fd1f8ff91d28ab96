import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateSecretCommand,
  ResourceExistsException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { LOCAL_IDEMPOTENCY_TABLE_NAME, LOCAL_REGION } from './local-settings.ts';

const clientSettings = (endpoint: string) => ({
  endpoint,
  region: LOCAL_REGION,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});

export const localSecretsManager = (endpoint: string): SecretsManagerClient =>
  new SecretsManagerClient(clientSettings(endpoint));
export const localDynamoDb = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient(clientSettings(endpoint));

/** Creates the idempotency table as the deployment does (key `id`, TTL on `expiration`); idempotent. */
export async function createIdempotencyTable(
  endpoint: string,
  tableName = LOCAL_IDEMPOTENCY_TABLE_NAME,
): Promise<void> {
  const dynamoDb = localDynamoDb(endpoint);
  try {
    await dynamoDb.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await dynamoDb.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      }),
    );
  } catch (failure) {
    if (!(failure instanceof ResourceInUseException)) throw failure;
  }
  await dynamoDb.send(new DescribeTableCommand({ TableName: tableName }));
  dynamoDb.destroy();
}

/** The secrets the sample events update. Their initial values are obviously fake. */
export const SAMPLE_SECRETS = [
  { name: 'secret-updater/sample/database', secretString: '{"username":"app","password":"initial-fake"}' },
  { name: 'secret-updater/sample/api-key', secretString: 'initial-fake-api-key' },
  { name: 'secret-updater/sample/signing-key', secretBinary: 'aW5pdGlhbC1mYWtlLWJ5dGVz' },
  { name: 'secret-updater/sample/webhook', secretString: 'initial-fake-webhook-token' },
] as const;

/** Creates the sample secrets when they do not exist yet (a long-lived stack keeps them). */
export async function createSampleSecrets(endpoint: string): Promise<void> {
  const secretsManager = localSecretsManager(endpoint);
  for (const secret of SAMPLE_SECRETS) {
    try {
      await secretsManager.send(
        new CreateSecretCommand({
          Name: secret.name,
          ...('secretString' in secret
            ? { SecretString: secret.secretString }
            : { SecretBinary: Buffer.from(secret.secretBinary, 'base64') }),
        }),
      );
    } catch (failure) {
      if (!(failure instanceof ResourceExistsException)) throw failure;
    }
  }
  secretsManager.destroy();
}
