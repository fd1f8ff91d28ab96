import { randomUUID } from 'node:crypto';
import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
} from '@aws-sdk/client-secrets-manager';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { LOCAL_IDEMPOTENCY_TABLE_NAME } from '../../infra/local/local-settings.ts';
import { localDynamoDb, localSecretsManager } from '../../infra/local/provision.ts';

const endpoint = (): string => {
  const url = process.env.AWS_ENDPOINT_URL;
  if (!url) throw new Error('AWS_ENDPOINT_URL is not set: the test setup starts the local stack');
  return url;
};

/** Clients for preparing and assessing the local stack from a test (never the handlers' own clients). */
export const secretsManager = () => localSecretsManager(endpoint());
export const dynamoDb = () => localDynamoDb(endpoint());

export interface TestSecret {
  readonly name: string;
  readonly arn: string;
}

/** Creates a secret with a unique name under test/, holding an initial value. */
export async function createTestSecret(
  label: string,
  initialValue = 'initial-test-value',
): Promise<TestSecret> {
  const name = `test/${label}/${randomUUID()}`;
  const created = await secretsManager().send(
    new CreateSecretCommand({ Name: name, SecretString: initialValue }),
  );
  return { name, arn: created.ARN ?? '' };
}

export interface VersionSummary {
  readonly versionId: string;
  readonly stages: readonly string[];
}

/** Every version of a secret, deprecated ones included, so a duplicate version cannot hide. */
export async function listVersions(secretId: string): Promise<VersionSummary[]> {
  const listed = await secretsManager().send(
    new ListSecretVersionIdsCommand({ SecretId: secretId, IncludeDeprecated: true }),
  );
  return (listed.Versions ?? []).map((version) => ({
    versionId: version.VersionId ?? '',
    stages: version.VersionStages ?? [],
  }));
}

export async function currentSecretValue(
  secretId: string,
): Promise<{ versionId: string; secretString?: string; secretBinary?: Uint8Array }> {
  const value = await secretsManager().send(new GetSecretValueCommand({ SecretId: secretId }));
  return {
    versionId: value.VersionId ?? '',
    ...(value.SecretString === undefined ? {} : { secretString: value.SecretString }),
    ...(value.SecretBinary === undefined ? {} : { secretBinary: value.SecretBinary }),
  };
}

/** The string value of the version holding a staging label (AWSCURRENT, AWSPREVIOUS). */
export async function secretValueAtStage(secretId: string, stage: string): Promise<string | undefined> {
  const value = await secretsManager().send(
    new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }),
  );
  return value.SecretString;
}

/** Every item of the idempotency table, unmarshalled. */
export async function idempotencyItems(): Promise<Record<string, unknown>[]> {
  return (await scanIdempotencyTable()).map((item) => unmarshall(item));
}

/**
 * Every item of the idempotency table, as stored (DynamoDB attribute values), page after page: a Scan page
 * holds at most 1 MB, so after a large batch a single page would silently leave records out.
 */
export async function scanIdempotencyTable(): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamoDb().send(
      new ScanCommand({ TableName: LOCAL_IDEMPOTENCY_TABLE_NAME, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}
