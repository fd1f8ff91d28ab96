import { cp, mkdtemp, readdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { localEnvironment } from '../../infra/local/local-settings.ts';
import { createSampleSecrets } from '../../infra/local/provision.ts';
import { projectRoot, runServerless } from '../support/packaged-template.ts';

/**
 * `npx sls invoke local --stage local -f <function> -p events/<file>.json`, as the README gives it, against
 * the local stack. In a copy of the project: serverless-esbuild builds in, and then removes, a folder of the
 * service directory, which the packaging tests running beside this one use too.
 */
describe('sls invoke local on the stage local', () => {
  let serviceCopy = '';
  beforeAll(async () => {
    serviceCopy = await mkdtemp(join(tmpdir(), 'secret-updater-invoke-local-'));
    for (const entry of ['functions', 'infra', 'events', 'serverless.yml', 'package.json', 'tsconfig.json']) {
      await cp(join(projectRoot, entry), join(serviceCopy, entry), { recursive: true });
    }
    await symlink(join(projectRoot, 'node_modules'), join(serviceCopy, 'node_modules'));
    await createSampleSecrets(process.env.AWS_ENDPOINT_URL ?? '');
  });

  const invokeLocal = async (functionName: string, eventFile: string) => {
    const stdout = await runServerless(
      ['invoke', 'local', '--stage', 'local', '-f', functionName, '-p', `events/${eventFile}`],
      {
        cwd: serviceCopy,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          // What `npm run stack` tells a user to export: its endpoint and the fake credentials.
          ...localEnvironment(process.env.AWS_ENDPOINT_URL ?? ''),
        },
      },
    );
    // The result is the last JSON object printed, after the log lines.
    return JSON.parse(stdout.slice(stdout.lastIndexOf('\n{') + 1)) as Record<string, unknown>;
  };

  it.each([
    ['eventbridge', 'eventbridge/update-secret-string.json'],
    ['step-functions', 'step-functions/update-secret.json'],
  ])(
    'runs %s on its sample event, renewed, against the local stack',
    async (functionName, eventFile) => {
      // Act
      const result = await invokeLocal(functionName, eventFile);

      // Assess
      expect(result).toMatchObject({ outcome: expect.stringMatching(/^(updated|replayed)$/) });
      expect(result.secretName).toMatch(/^secret-updater\/sample\//);
    },
    120_000,
  );

  it('runs sqs on its sample batch and reports just the malformed record', async () => {
    // Act
    const result = await invokeLocal('sqs', 'sqs/standard-batch.json');

    // Assess
    expect(result.batchItemFailures).toHaveLength(1);
  }, 120_000);

  it('leaves no CommonJS entry behind for a later package to ship', async () => {
    // Act
    const built = await readdir(join(serviceCopy, '.esbuild/.build/functions'));

    // Assess: the bundles stay in serverless-esbuild's build folder (a later package reuses it), the entry not
    expect(built).toContain('sqs.mjs');
    expect(built.filter((file) => file.endsWith('.cjs'))).toEqual([]);
  });
});
