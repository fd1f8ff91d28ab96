// One process, as one Lambda instance: loads the deployed SQS bundle (BENCH_BUNDLE) and hands it
// BENCH_REQUESTS requests in batches of 10 (BENCH_SECRETS holds the secret names, JSON), then reports its peak
// resident set size and its heap after a full collection to the parent. Plain JavaScript so that no TypeScript loader weighs on the figure.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

const { handler } = await import(process.env.BENCH_BUNDLE ?? '');
const requests = Number(process.env.BENCH_REQUESTS ?? '0');
/** @type {string[]} */
const secrets = JSON.parse(process.env.BENCH_SECRETS ?? '[]');
const template = JSON.parse(
  readFileSync(new URL('../events/sqs/standard-batch.json', import.meta.url), 'utf8'),
).Records[0];
const BATCH_SIZE = 10;

const context = () => {
  const deadline = Date.now() + 60_000;
  return {
    functionName: 'bench-memory',
    awsRequestId: randomUUID(),
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench-memory',
    memoryLimitInMB: '256',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
};

let failed = 0;
for (let sent = 0; sent < requests; sent += BATCH_SIZE) {
  const now = String(Date.now());
  const Records = Array.from({ length: Math.min(BATCH_SIZE, requests - sent) }, (_, index) => ({
    ...template,
    messageId: randomUUID(),
    body: JSON.stringify({
      secretId: secrets[(sent + index) % secrets.length],
      secretString: `bench-memory-value-${randomUUID()}`,
    }),
    attributes: { ...template.attributes, SentTimestamp: now, ApproximateFirstReceiveTimestamp: now },
  }));
  const response = await handler({ Records }, context());
  failed += response.batchItemFailures.length;
}
// Run with --expose-gc: what stays on the heap after a full collection tells retained memory (a leak) from
// garbage the collector has not needed to reclaim yet, which is most of the peak RSS.
globalThis.gc?.();
process.send?.({
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  heapUsedAfterGcBytes: process.memoryUsage().heapUsed,
  failed,
});
