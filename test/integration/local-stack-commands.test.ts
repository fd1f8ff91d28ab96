import { execFile } from 'node:child_process';
import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MOTO_INSTALL_HINT } from '../../infra/local/moto-server.ts';

const run = promisify(execFile);
const projectRoot = new URL('../../', import.meta.url).pathname;
const tsxCli = join(projectRoot, 'node_modules/tsx/dist/cli.mjs');

/** Runs a local-stack script with a PATH that has node and nothing else, so moto_server cannot be found. */
async function runWithoutMoto(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = await mkdtemp(join(tmpdir(), 'no-moto-'));
  await symlink(process.execPath, join(bin, 'node'));
  const { AWS_ENDPOINT_URL: _ignored, ...environment } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, [tsxCli, script], {
      cwd: projectRoot,
      env: { ...environment, PATH: bin },
    });
    return { code: 0, stdout, stderr };
  } catch (failure) {
    const { code, stdout, stderr } = failure as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('local stack commands without moto', () => {
  it.each(['infra/local/start.ts', 'infra/local/stack.ts', 'infra/local/require-moto.ts'])(
    '%s fails at once with the install command',
    async (script) => {
      // Act
      const { code, stdout, stderr } = await runWithoutMoto(script);

      // Assess
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trim()).toBe(MOTO_INSTALL_HINT);
    },
  );
});
