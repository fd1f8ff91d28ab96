import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '../../infra/esbuild.config.cjs';
import { freshenEvent, loadEvent } from '../../infra/local/sample-events.ts';
import { createTestSecret, currentSecretValue } from '../support/local-aws.ts';

const run = promisify(execFile);
/** The Node that loads the bundles: this one, or Node 24 under `npm run test:node24`. */
const BUNDLE_NODE = process.env.BUNDLE_NODE ?? process.execPath;
const projectRoot = new URL('../../', import.meta.url);

/** Runs one request through a built bundle in a fresh Node process, as the Lambda runtime would load it. */
async function invokeBundle(functionName: string, event: unknown): Promise<unknown> {
  const script = `
    const { handler } = await import(${JSON.stringify(new URL(`dist/${functionName}/index.mjs`, projectRoot).href)});
    const event = JSON.parse(process.env.TEST_EVENT);
    const context = { functionName: 'bundle-test', awsRequestId: 'bundle-test', getRemainingTimeInMillis: () => 30000 };
    process.stdout.write('RESULT ' + JSON.stringify(await handler(event, context)) + '\\n');
  `;
  const { stdout } = await run(BUNDLE_NODE, ['--input-type=module', '-e', script], {
    env: { ...process.env, TEST_EVENT: JSON.stringify(event), POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
  return JSON.parse(line?.slice('RESULT '.length) ?? 'null');
}

describe('deployment bundles', () => {
  beforeAll(async () => {
    // The bundles are built from the one esbuild configuration the deployment uses.
    await run(process.execPath, ['infra/build.mjs'], { cwd: projectRoot });
  }, 120_000);

  it.each(FUNCTION_NAMES)(
    'builds %s as one minified ESM file with a source map, SDK inside',
    async (name) => {
      const bundle = new URL(`dist/${name}/index.mjs`, projectRoot);
      const code = await readFile(bundle, 'utf8');
      expect((await stat(new URL(`dist/${name}/index.mjs.map`, projectRoot))).size).toBeGreaterThan(0);
      expect(code).toContain('sourceMappingURL=index.mjs.map');
      expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
      expect(code).not.toMatch(/from\s*["']@aws-lambda-powertools\//);
    },
  );

  it('runs them on the intended Node version', async () => {
    const { stdout } = await run(BUNDLE_NODE, ['--version']);
    expect(stdout.trim()).toMatch(
      new RegExp(`^v${process.env.BUNDLE_NODE_MAJOR ?? process.versions.node.split('.')[0]}\\.`),
    );
  });

  it('loads the eventbridge bundle and applies an event on the local stack', async () => {
    // Prepare
    const secret = await createTestSecret('bundle-eventbridge');
    const event = freshenEvent(loadEvent<{ detail: unknown }>('eventbridge/update-secret-string.json'), {
      renewKeys: true,
    });
    event.detail = { secretId: secret.name, secretString: 'value-through-eventbridge-bundle' };

    // Act
    const result = await invokeBundle('eventbridge', event);

    // Assess
    expect(result).toMatchObject({ outcome: 'updated', secretName: secret.name });
    expect(await currentSecretValue(secret.name)).toMatchObject({
      secretString: 'value-through-eventbridge-bundle',
    });
  });

  it('loads the sqs bundle and reports the malformed record of a batch', async () => {
    // Prepare
    const secret = await createTestSecret('bundle-sqs');
    const event = freshenEvent(
      loadEvent<{ Records: { body: string; messageId: string }[] }>('sqs/standard-batch.json'),
    );
    const [valid, , malformed] = event.Records;
    if (valid === undefined || malformed === undefined)
      throw new Error('events/sqs/standard-batch.json changed');
    valid.body = JSON.stringify({ secretId: secret.name, secretString: 'value-through-sqs-bundle' });
    event.Records = [valid, malformed];

    // Act
    const result = await invokeBundle('sqs', event);

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: malformed.messageId }] });
    expect(await currentSecretValue(secret.name)).toMatchObject({ secretString: 'value-through-sqs-bundle' });
  });

  it('loads the step-functions bundle and returns the result', async () => {
    // Prepare
    const secret = await createTestSecret('bundle-sfn');
    const input = {
      secretId: secret.name,
      secretString: 'value-through-sfn-bundle',
      idempotencyKey: randomUUID(),
    };

    // Act
    const result = await invokeBundle('step-functions', input);

    // Assess
    expect(result).toMatchObject({
      outcome: 'updated',
      secretName: secret.name,
      idempotencyKey: input.idempotencyKey,
    });
  });
});
