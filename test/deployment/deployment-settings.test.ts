import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/** The stage parameters → template settings resolver, called the way osls calls it (offline). */
const resolveSettings = createRequire(import.meta.url)('../../infra/deployment-settings.cjs') as (context: {
  resolveVariable: (address: string) => Promise<unknown>;
  resolveConfigurationProperty: (path: string[]) => Promise<unknown>;
  options: { param?: string[] };
}) => Promise<Record<string, unknown>>;

const DEFAULTS: Record<string, string> = {
  secrets: 'prod/',
  kmsKeyArn: '',
  eventBusArn: '',
  eventSource: 'com.example.secret-updater',
  eventDetailType: 'Secret Update Requested',
  fifo: 'false',
  batchSize: '10',
  maximumBatchingWindow: '0',
  maximumConcurrency: '5',
  maxReceiveCount: '5',
  batchConcurrency: '10',
  functionTimeout: '30',
  idempotencyExpiresAfterSeconds: '86400',
  alarmTopicArn: '',
  logRetentionInDays: '30',
  logLevel: 'INFO',
};

/** Settings for `parameters` over the defaults, with `stages` as serverless.yml's other `params` blocks. */
function settingsFor(
  parameters: Record<string, string>,
  stages: Record<string, Record<string, string>> = {},
) {
  const values = { ...DEFAULTS, ...parameters };
  return resolveSettings({
    resolveVariable: async (address) =>
      address === 'self:provider.region' ? 'us-east-1' : values[address.replace(/^param:/, '')],
    resolveConfigurationProperty: async (path) =>
      path.join('.') === 'params' ? { default: DEFAULTS, ...stages } : undefined,
    options: { param: Object.entries(parameters).map(([name, value]) => `${name}=${value}`) },
  });
}

describe('deployment settings', () => {
  it("refuses a misspelt parameter in a stage's block of serverless.yml, naming the one meant", async () => {
    // Act
    const attempt = settingsFor({}, { prod: { batchsize: '100' } });

    // Assess
    await expect(attempt).rejects.toThrow('parameter batchsize is not a parameter: did you mean batchSize?');
  });

  it('caps a FIFO batch at what one message group can apply in one invocation', async () => {
    // Act: 5 s, less the 3 s start reserve, at 4 records a second one after the other
    const attempt = settingsFor({ fifo: 'true', functionTimeout: '5', batchSize: '10' });

    // Assess
    await expect(attempt).rejects.toThrow('parameter batchSize must be between 1 and 8');
  });

  it("allows a secret listed by full ARN by its ARNs only, never by a bare name of the function's account", async () => {
    // Prepare
    const arn = 'arn:aws:secretsmanager:us-east-1:999999999999:secret:shared/key-AbCdEf';

    // Act
    const settings = await settingsFor({ secrets: arn });

    // Assess
    expect(String(settings.allowedSecretIds).split(',')).toEqual([
      arn,
      'arn:aws:secretsmanager:us-east-1:999999999999:secret:shared/key',
    ]);
  });
});
