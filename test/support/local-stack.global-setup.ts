import type { TestProject } from 'vitest/node';
import { startMotoServer } from '../../infra/local/moto-server.ts';
import { createIdempotencyTable } from '../../infra/local/provision.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    awsEndpointUrl: string;
  }
}

/** Starts one moto server for the test run (failing at once, with the install command, without moto). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const stack = await startMotoServer();
  await createIdempotencyTable(stack.endpoint);
  project.provide('awsEndpointUrl', stack.endpoint);
  return stack.stop;
}
