// A Lambda invocation in a process of its own, for the crash test: runs the eventbridge handler on the event
// in SECRET_UPDATER_EVENT with a deadline of SECRET_UPDATER_DEADLINE_MS, and prints the result. The test
// kills it (SIGKILL) while its idempotency record is still being completed.
import { fakeLambdaContext } from '../../infra/local/lambda-context.ts';

const { handler } = await import('../../functions/eventbridge.ts');
const event = JSON.parse(process.env.SECRET_UPDATER_EVENT ?? '{}') as unknown;
const deadline = Number(process.env.SECRET_UPDATER_DEADLINE_MS ?? '10000');
const result = await handler(event, fakeLambdaContext('secret-updater-crash', deadline));
console.log(JSON.stringify(result));
