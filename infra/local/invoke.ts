import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
// npm run invoke -- <function> <event.json> [--as-is]
// Runs one handler (eventbridge, sqs, step-functions) on one event file against AWS_ENDPOINT_URL, or against
// a fresh local stack when none is set. The file is looked up from the current directory, then in events/.
// The event gets new event ids, messageIds and send times first (so that it is not stale), its request kept
// as written; --as-is delivers the file unchanged.
import { fakeLambdaContext } from './lambda-context.ts';
import { exitWithStartupFailure, provisionLocalStack } from './local-stack.ts';
import { EVENTS_DIRECTORY, freshenEvent, loadEvent } from './sample-events.ts';

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
const eventPath = [
  resolve(process.env.INIT_CWD ?? process.cwd(), eventFile),
  resolve(EVENTS_DIRECTORY, eventFile),
].find((candidate) => existsSync(candidate));
if (eventPath === undefined) {
  console.error(`event file not found: ${eventFile} (looked in the current directory and in events/)`);
  process.exit(2);
}
const event = readEventFile(eventPath);
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

/** The event file's JSON; a file that cannot be read or parsed is one line that never quotes its content. */
function readEventFile(path: string): unknown {
  try {
    return loadEvent<unknown>(path);
  } catch (failure) {
    const reason = failure instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    console.error(`event file ${eventFile} ${reason}`);
    process.exit(2);
  }
}
