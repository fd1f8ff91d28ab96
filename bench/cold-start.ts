import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { localEnvironment } from '../infra/local/local-settings.ts';
import { type Comparison, compare, measureInterleaved } from './statistics.ts';

const EMPTY_MODULE = resolve(import.meta.dirname, 'empty.mjs');

/**
 * The time from starting a process to its exit, for a fresh `node` that loads `module`. The endpoint is
 * never called: loading a bundle builds its clients, configuration and idempotency layer, and makes no call.
 */
function timeProcess(node: string, module: string): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(node, [module], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ...localEnvironment('http://127.0.0.1:9') },
  });
  const milliseconds = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`${node} ${module} exited with ${run.status}: ${run.stderr}`);
  return milliseconds;
}

/** One bundle's cold start against a bare `node` start and against the SDK floor bundle. */
export interface ColdStart {
  readonly againstBareNode: Comparison;
  readonly againstSdkFloor: Comparison;
}

/**
 * Cold start of every bundle, and of the SDK floor bundle, against a bare `node` start: interleaved, with
 * the same Node binary. The floor's own entry is named `sdk-floor`.
 */
export async function measureColdStarts(
  node: string,
  bundles: Readonly<Record<string, string>>,
  sdkFloorBundle: string,
  rounds: number,
): Promise<Record<string, ColdStart>> {
  const { samples, bareNode } = await sampleStartups(
    node,
    { 'sdk-floor': sdkFloorBundle, ...bundles },
    rounds,
  );
  const floor = samples['sdk-floor'] ?? [];
  return Object.fromEntries(
    Object.entries(samples).map(([name, times]) => [
      name,
      { againstBareNode: compare(times, bareNode), againstSdkFloor: compare(times, floor) },
    ]),
  );
}

/** Cold start of each module against a bare `node` start, interleaved. */
export async function measureAgainstBareNode(
  node: string,
  modules: Readonly<Record<string, string>>,
  rounds: number,
): Promise<Record<string, Comparison>> {
  const { samples, bareNode } = await sampleStartups(node, modules, rounds);
  return Object.fromEntries(Object.entries(samples).map(([name, times]) => [name, compare(times, bareNode)]));
}

async function sampleStartups(node: string, modules: Readonly<Record<string, string>>, rounds: number) {
  const contenders: Record<string, () => number> = { 'bare node': () => timeProcess(node, EMPTY_MODULE) };
  for (const [name, path] of Object.entries(modules)) contenders[name] = () => timeProcess(node, path);
  const { 'bare node': bareNode = [], ...samples } = await measureInterleaved(contenders, rounds, 2);
  return { samples, bareNode };
}
