// npm run invoke -- <function> <event.json> [--as-is]
// Runs one handler (eventbridge, sqs, step-functions) on one event file against AWS_ENDPOINT_URL, or against
// a fresh local stack when none is set. Sample events get new ids and send times first (so they are neither
// stale nor replays of an earlier run) unless --as-is is given.
import { fakeLambdaContext } from './lambda-context.ts';
import { exitWithStartupFailure, provisionLocalStack } from './local-stack.ts';
import { freshenEvent, loadEvent } from './sample-events.ts';

const FUNCTIONS = ['eventbridge', 'sqs', 'step-functions'] as const;
const USAGE = `usage: npm run invoke -- <${FUNCTIONS.join('|')}> <event.json> [--as-is]`;

const args = process.argv.slice(2);
const asIs = args.includes('--as-is');
const [functionName, eventFile] = args.filter((arg) => arg !== '--as-is');
if (!FUNCTIONS.includes(functionName as (typeof FUNCTIONS)[number]) || eventFile === undefined) {
  console.error(USAGE);
  process.exit(2);
}

process.env.POWERTOOLS_LOG_LEVEL ??= 'INFO';
const event = loadEvent<unknown>(eventFile.replace(/^events\//, ''));
const stack = await provisionLocalStack().catch(exitWithStartupFailure);
try {
  const { handler } = (await import(`../../functions/${functionName}.ts`)) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  const result = await handler(
    asIs ? event : freshenEvent(event),
    fakeLambdaContext(`secret-updater-${functionName}`),
  );
  console.log(JSON.stringify(result, null, 2));
} catch (error) {
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  console.error(`${name}: ${message}`);
  process.exitCode = 1;
} finally {
  await stack.stop();
}
