/** Settings of the local stack: fake credentials and fixed names, never a real account. */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '123456789012';
// The name serverless.yml gives the table on the stage `local`, so that `sls invoke local --stage local` finds it.
export const LOCAL_IDEMPOTENCY_TABLE_NAME = 'secret-updater-local-idempotency';

/** The environment a handler needs to run against the local stack at `endpoint`. */
export function localEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    IDEMPOTENCY_TABLE_NAME: LOCAL_IDEMPOTENCY_TABLE_NAME,
    // This machine runs Node 20; the deployed runtime is Node 24. The SDK's notice about it is noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
