import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const projectRoot = new URL('../../', import.meta.url).pathname;

/** Runs the project's osls (`sls <args>`) in `cwd` with `env`, telemetry off; resolves to its stdout. */
export async function runServerless(
  args: readonly string[],
  settings: { readonly cwd: string; readonly env: NodeJS.ProcessEnv },
): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [join(projectRoot, 'node_modules/osls/bin/serverless.js'), ...args],
    { cwd: settings.cwd, env: { ...settings.env, SLS_TELEMETRY_DISABLED: '1' }, timeout: 120_000 },
  );
  return stdout;
}

/** A CloudFormation template, loosely typed for assertions. */
export interface Template {
  readonly Parameters: Record<string, { Default?: unknown }>;
  readonly Conditions: Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON, asserted on directly
  readonly Resources: Record<string, { Type: string; Properties: Record<string, any>; Condition?: string }>;
  readonly Outputs: Record<string, unknown>;
}

export interface PackagedService {
  readonly directory: string;
  readonly templatePath: string;
  readonly template: Template;
}

/**
 * Packages the service with osls, offline: no credentials, no network (the AWS variables are removed from
 * the environment). `parameters` are stage parameters (`--param name=value`).
 */
export async function packageService(
  stage: string,
  parameters: Record<string, string> = {},
): Promise<PackagedService> {
  const directory = await mkdtemp(join(tmpdir(), `secret-updater-package-${stage}-`));
  const environment = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')),
  ) as NodeJS.ProcessEnv;
  await runServerless(
    [
      'package',
      '--stage',
      stage,
      '--package',
      directory,
      ...Object.entries(parameters).flatMap(([name, value]) => ['--param', `${name}=${value}`]),
    ],
    { cwd: projectRoot, env: environment },
  );
  const templatePath = join(directory, 'cloudformation-template-update-stack.json');
  const template = JSON.parse(await readFile(templatePath, 'utf8')) as Template;
  return { directory, templatePath, template };
}

/** The resources of a type, by logical id. */
export const resourcesOfType = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
