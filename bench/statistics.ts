/** The figures of one measured series: its median and spread. */
export interface Summary {
  readonly samples: number;
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  readonly min: number;
  readonly max: number;
}

/** Linear-interpolated quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (position - below);
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((first, second) => first - second);
  return {
    samples: sorted.length,
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** A subject against its baseline, both measured in the same run: the ratio of their medians. */
export interface Comparison {
  readonly subject: Summary;
  readonly baseline: Summary;
  readonly ratio: number;
}

export const compare = (subject: readonly number[], baseline: readonly number[]): Comparison => {
  const subjectSummary = summarize(subject);
  const baselineSummary = summarize(baseline);
  return {
    subject: subjectSummary,
    baseline: baselineSummary,
    ratio: subjectSummary.median / baselineSummary.median,
  };
};

/**
 * Measures several contenders in interleaved rounds (each round runs every contender once, in an order
 * that rotates from round to round), so that a machine that slows down or speeds up during the run weighs
 * on all of them alike. Returns each contender's samples, in milliseconds.
 */
export async function measureInterleaved<Name extends string>(
  contenders: Readonly<Record<Name, () => Promise<number> | number>>,
  rounds: number,
  warmupRounds = 0,
): Promise<Record<Name, number[]>> {
  const names = Object.keys(contenders) as Name[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>;
  for (let round = 0; round < warmupRounds + rounds; round++) {
    for (let offset = 0; offset < names.length; offset++) {
      const name = names[(round + offset) % names.length] as Name;
      const milliseconds = await contenders[name]();
      if (round >= warmupRounds) samples[name].push(milliseconds);
    }
  }
  return samples;
}

/** Times one asynchronous run, in milliseconds. */
export async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
