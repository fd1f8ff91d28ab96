import {
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretNotFoundError, SecretUpdateConflictError } from '../../../../functions/commons/errors.ts';
import { createSecretWriter } from '../../../../functions/commons/secrets/secret-writer.ts';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
const TOKEN = '3f2b8c1e-4d5a-5e6f-8a9b-0c1d2e3f4a5b';
const secretsManager = mockClient(SecretsManagerClient);

const writer = () => createSecretWriter(new SecretsManagerClient({ region: 'us-east-1' }));
const sentInput = (call = 0) => secretsManager.commandCalls(UpdateSecretCommand)[call]?.args[0].input;

describe('createSecretWriter', () => {
  afterEach(() => {
    secretsManager.reset();
  });

  describe('write', () => {
    it('sends our ClientRequestToken and the string value, and returns the new version', async () => {
      // Prepare
      secretsManager.on(UpdateSecretCommand).resolves({ ARN, Name: 'prod/db', VersionId: TOKEN });

      // Act
      const outcome = await writer().write({
        secretId: 'prod/db',
        clientRequestToken: TOKEN,
        value: { kind: 'string', text: 'new-value' },
      });

      // Assess
      expect(sentInput()).toStrictEqual({
        SecretId: 'prod/db',
        ClientRequestToken: TOKEN,
        SecretString: 'new-value',
      });
      expect(outcome).toStrictEqual({ secretArn: ARN, secretName: 'prod/db', versionId: TOKEN });
    });

    it('sends a binary value as bytes, not as base64 text', async () => {
      // Prepare
      secretsManager.on(UpdateSecretCommand).resolves({ ARN, Name: 'prod/db', VersionId: TOKEN });
      const bytes = new Uint8Array([0, 1, 2, 254, 255]);

      // Act
      await writer().write({
        secretId: 'prod/db',
        clientRequestToken: TOKEN,
        value: { kind: 'binary', bytes },
      });

      // Assess
      const input = sentInput();
      expect(input?.SecretBinary).toBeInstanceOf(Uint8Array);
      expect([...(input?.SecretBinary ?? [])]).toEqual([0, 1, 2, 254, 255]);
      expect(input).not.toHaveProperty('SecretString');
      expect(input?.ClientRequestToken).toBe(TOKEN);
    });

    it('sends a metadata-only write without any value and returns no versionId', async () => {
      // Prepare
      secretsManager.on(UpdateSecretCommand).resolves({ ARN, Name: 'prod/db' });

      // Act
      const outcome = await writer().write({
        secretId: 'prod/db',
        clientRequestToken: TOKEN,
        description: '',
        kmsKeyId: 'alias/app-key',
      });

      // Assess
      expect(sentInput()).toStrictEqual({
        SecretId: 'prod/db',
        ClientRequestToken: TOKEN,
        Description: '',
        KmsKeyId: 'alias/app-key',
      });
      expect(outcome).toStrictEqual({ secretArn: ARN, secretName: 'prod/db' });
      expect(Object.hasOwn(outcome, 'versionId')).toBe(false);
    });

    it('rejects with a conflict when the token belongs to a version with another value', async () => {
      // Prepare
      const failure = new ResourceExistsException({
        message: 'token in use',
        $metadata: { httpStatusCode: 400 },
      });
      secretsManager.on(UpdateSecretCommand).rejects(failure);

      // Act
      const attempt = writer().write({
        secretId: 'prod/db',
        clientRequestToken: TOKEN,
        value: { kind: 'string', text: 'other-value' },
      });

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(SecretUpdateConflictError);
      await expect(attempt).rejects.toHaveProperty('cause.name', failure.name);
    });

    it('rejects with SecretNotFoundError when the secret does not exist', async () => {
      // Prepare
      secretsManager
        .on(UpdateSecretCommand)
        .rejects(new ResourceNotFoundException({ message: 'not found', $metadata: { httpStatusCode: 400 } }));

      // Act
      const attempt = writer().write({ secretId: 'prod/none', clientRequestToken: TOKEN, description: 'd' });

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(SecretNotFoundError);
    });
  });

  describe('confirmValue', () => {
    it('re-sends only the value with the same token, never the metadata', async () => {
      // Prepare
      secretsManager.on(UpdateSecretCommand).resolves({ ARN, Name: 'prod/db', VersionId: TOKEN });

      // Act
      const outcome = await writer().confirmValue({
        secretId: 'prod/db',
        clientRequestToken: TOKEN,
        value: { kind: 'string', text: 'new-value' },
        description: 'ignored',
        kmsKeyId: 'alias/ignored',
      });

      // Assess
      expect(sentInput()).toStrictEqual({
        SecretId: 'prod/db',
        ClientRequestToken: TOKEN,
        SecretString: 'new-value',
      });
      expect(outcome.versionId).toBe(TOKEN);
    });
  });
});
