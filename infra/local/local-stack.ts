import { readConfig } from '../../functions/commons/config.ts';
import { LOCAL_IDEMPOTENCY_TABLE_NAME, localEnvironment } from './local-settings.ts';
import { connectLocalAws, type LocalAwsEndpoint } from './moto-server.ts';
import { createIdempotencyTable, createSampleSecrets } from './provision.ts';

/**
 * Connects to the local AWS stack (AWS_ENDPOINT_URL when set, else a moto server started for this process),
 * creates the idempotency table and the sample secrets, and points this process's environment at it so
 * that the handlers, imported afterwards, read it at module scope.
 */
export async function provisionLocalStack(): Promise<LocalAwsEndpoint> {
  // This machine runs Node 20 while the deployed runtime is Node 24: the SDK's notice about it is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // The functions' configuration, checked before anything starts: a bad setting is one line naming it.
  readConfig({ ...process.env, IDEMPOTENCY_TABLE_NAME: LOCAL_IDEMPOTENCY_TABLE_NAME });
  const stack = await connectLocalAws();
  stopOnSignals(stack);
  try {
    await createIdempotencyTable(stack.endpoint);
    await createSampleSecrets(stack.endpoint);
  } catch (failure) {
    await stack.stop();
    throw failure;
  }
  // Fake credentials always: real ones from the shell must never travel to a local endpoint.
  Object.assign(process.env, localEnvironment(stack.endpoint));
  return stack;
}

/** Stops the moto this process started when the process is told to stop (Ctrl-C, kill). */
function stopOnSignals(stack: LocalAwsEndpoint): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      void stack.stop().finally(() => process.exit(130));
    });
  }
}

/** Prints a failure to start as one line and exits 1 (no stack trace for a missing moto). */
export function exitWithStartupFailure(failure: unknown): never {
  console.error(failure instanceof Error ? failure.message : String(failure));
  process.exit(1);
}
