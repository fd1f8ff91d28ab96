// npm run stack: a long-lived local AWS stack (moto) with the idempotency table and the sample secrets.
// Prints the AWS_ENDPOINT_URL to export; `npm run invoke` and `npm start` then use it. Ctrl-C stops it.

import { LOCAL_IDEMPOTENCY_TABLE_NAME, localEnvironment } from './local-settings.ts';
import { exitWithStartupFailure, provisionLocalStack } from './local-stack.ts';
import { SAMPLE_SECRETS } from './provision.ts';

const stack = await provisionLocalStack().catch(exitWithStartupFailure);
const local = localEnvironment(stack.endpoint);

console.log(`Local AWS stack running. In another shell:

  export AWS_ENDPOINT_URL=${stack.endpoint}
  npm run invoke -- eventbridge events/eventbridge/update-secret-string.json

For \`npx sls invoke local --stage local ...\`, which brings no credentials of its own, also:

  export AWS_ACCESS_KEY_ID=${local.AWS_ACCESS_KEY_ID} AWS_SECRET_ACCESS_KEY=${local.AWS_SECRET_ACCESS_KEY} AWS_REGION=${local.AWS_REGION}
  export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true   # on Node 20: the SDK's notice about Node 22

Idempotency table: ${LOCAL_IDEMPOTENCY_TABLE_NAME}
Sample secrets:    ${SAMPLE_SECRETS.map((secret) => secret.name).join(', ')}
Press Ctrl-C to stop.`);

// Keeps the process alive until a signal arrives (provisionLocalStack stops moto then).
setInterval(() => {}, 1 << 30);
