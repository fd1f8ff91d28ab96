import type { ColdStart } from './cold-start.ts';
import type { Comparison } from './statistics.ts';

export interface BatchFigures {
  readonly standard10: Comparison;
  readonly standard100: Comparison;
  readonly fifo10Groups: Comparison;
  readonly fifo1Group: Comparison;
  readonly bare10: Comparison;
}

export interface MemoryFigures {
  readonly peakRssBytes: number;
  readonly heapUsedAfterGcBytes: number;
}

/** Everything one `npm run bench` measured; written as JSON to bench/results/. */
export interface BenchReport {
  readonly measuredAt: string;
  readonly node: string;
  readonly rounds: number;
  readonly sizes: Record<string, { readonly minifiedBytes: number; readonly gzipBytes: number }>;
  /** The same request schema in each candidate library, bundled alone: size and cold start. */
  readonly schemaLibraries: Record<
    string,
    { readonly minifiedBytes: number; readonly gzipBytes: number; readonly coldStart: Comparison }
  >;
  /** By Node version, by bundle (the functions and `sdk-floor`): cold start against a bare `node` and the floor. */
  readonly coldStart: Record<string, Record<string, ColdStart>>;
  readonly warm: {
    readonly handler: Comparison;
    readonly duplicate: Comparison;
    readonly cpu: { readonly handler: Comparison; readonly duplicate: Comparison };
    readonly calls: Record<'first' | 'duplicate' | 'metadataOnly', Record<string, number>>;
  };
  readonly batches: {
    readonly direct: BatchFigures;
    readonly modelled: BatchFigures;
    /** The round trip the modelled runs add to every call, by service, in milliseconds. */
    readonly modelledLatency: { readonly secretsmanager: number; readonly dynamodb: number };
  };
  readonly memory: {
    readonly requests: number;
    /** The process after loading the bundle, before any request. */
    readonly loaded: MemoryFigures;
    /** The same process after handling `requests` requests. */
    readonly handled: MemoryFigures;
  };
}

/** The goals of the performance issue, as the report checks them. */
export const TARGETS = {
  bundleMaxBytes: 800 * 1024,
  coldStartMaxRatio: 1.3,
  firstDeliveryCalls: 3,
  duplicateMaxCalls: 2,
  batchOf10MaxRatio: 2,
  peakRssMaxBytes: 128 * 1024 * 1024,
} as const;

const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const milliseconds = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const spread = (comparison: Comparison['subject']) =>
  `${milliseconds(comparison.median)} ms [${milliseconds(comparison.p25)}–${milliseconds(comparison.p75)}]`;
const ratio = (comparison: Comparison) => `${comparison.ratio.toFixed(2)}×`;
const mark = (met: boolean) => (met ? 'met' : 'MISSED');
const totalOf = (calls: Record<string, number>) =>
  Object.values(calls).reduce((sum, count) => sum + count, 0);
const listCalls = (calls: Record<string, number>) =>
  Object.entries(calls)
    .map(([operation, count]) => `${operation} ${count}`)
    .join(', ');

const latencyModel = (report: BenchReport) =>
  `Secrets Manager +${report.batches.modelledLatency.secretsmanager} ms, DynamoDB +${report.batches.modelledLatency.dynamodb} ms a call`;

/** Target checks: what was measured against each goal. */
export function checkTargets(report: BenchReport): { readonly goal: string; readonly met: boolean }[] {
  const checks: { goal: string; met: boolean }[] = [];
  for (const [name, size] of Object.entries(report.sizes))
    checks.push({ goal: `${name} bundle ≤ 800 KB`, met: size.minifiedBytes <= TARGETS.bundleMaxBytes });
  for (const [node, byFunction] of Object.entries(report.coldStart))
    for (const [name, coldStart] of Object.entries(byFunction))
      if (name !== 'sdk-floor')
        checks.push({
          goal: `${name} cold start ≤ ${TARGETS.coldStartMaxRatio}× bare node (${node})`,
          met: coldStart.againstBareNode.ratio <= TARGETS.coldStartMaxRatio,
        });
  checks.push({
    goal: `first delivery: ${TARGETS.firstDeliveryCalls} AWS calls`,
    met: totalOf(report.warm.calls.first) === TARGETS.firstDeliveryCalls,
  });
  checks.push({
    goal: `duplicate: ≤ ${TARGETS.duplicateMaxCalls} AWS calls, no read of the value`,
    met:
      totalOf(report.warm.calls.duplicate) <= TARGETS.duplicateMaxCalls &&
      !Object.keys(report.warm.calls.duplicate).some((operation) => operation.includes('GetSecretValue')),
  });
  checks.push({
    goal: `10 records of 10 secrets ≤ ${TARGETS.batchOf10MaxRatio}× 1 record (${latencyModel(report)})`,
    met: report.batches.modelled.standard10.ratio <= TARGETS.batchOf10MaxRatio,
  });
  checks.push({
    goal: 'peak RSS < 128 MB for 1,000 requests',
    met: report.memory.handled.peakRssBytes < TARGETS.peakRssMaxBytes,
  });
  return checks;
}

/** The report as the table `npm run bench` prints (and the README shows). */
export function formatReport(report: BenchReport): string {
  const lines: string[] = [];
  const row = (...cells: string[]) => lines.push(`| ${cells.join(' | ')} |`);
  const table = (...headings: string[]) => {
    lines.push('');
    row(...headings);
    row(...headings.map(() => '---'));
  };
  lines.push(
    `secret-updater benchmark, ${report.measuredAt}, Node ${report.node}: medians of ${report.rounds}+ interleaved rounds, [p25–p75]`,
  );

  table('bundle', 'minified', 'gzip');
  for (const [name, size] of Object.entries(report.sizes))
    row(name, kilobytes(size.minifiedBytes), kilobytes(size.gzipBytes));

  table(
    'cold start (fresh node: load the bundle, build its clients)',
    'bundle',
    'bare node',
    'ratio to bare node',
    'ratio to the SDK floor',
  );
  for (const [node, byFunction] of Object.entries(report.coldStart))
    for (const [name, coldStart] of Object.entries(byFunction))
      row(
        `${name === 'sdk-floor' ? 'SDK floor (the two clients alone)' : name}, Node ${node}`,
        spread(coldStart.againstBareNode.subject),
        spread(coldStart.againstBareNode.baseline),
        ratio(coldStart.againstBareNode),
        ratio(coldStart.againstSdkFloor),
      );

  table(
    'schema library (the request schema alone, bundled)',
    'minified',
    'gzip',
    'cold start',
    'ratio to bare node',
  );
  for (const [library, figures] of Object.entries(report.schemaLibraries))
    row(
      library,
      kilobytes(figures.minifiedBytes),
      kilobytes(figures.gzipBytes),
      spread(figures.coldStart.subject),
      ratio(figures.coldStart),
    );

  const { warm } = report;
  table('warm request on the local stack', 'through the handler', 'one bare UpdateSecret', 'ratio');
  row(
    'first delivery (wall)',
    spread(warm.handler.subject),
    spread(warm.handler.baseline),
    ratio(warm.handler),
  );
  row(
    'duplicate (wall)',
    spread(warm.duplicate.subject),
    spread(warm.duplicate.baseline),
    ratio(warm.duplicate),
  );
  row(
    'first delivery (CPU of this process)',
    spread(warm.cpu.handler.subject),
    spread(warm.cpu.handler.baseline),
    ratio(warm.cpu.handler),
  );
  row(
    'duplicate (CPU of this process)',
    spread(warm.cpu.duplicate.subject),
    spread(warm.cpu.duplicate.baseline),
    ratio(warm.cpu.duplicate),
  );

  table('AWS calls per request (counted by an SDK middleware)', 'calls', 'by operation');
  row('first delivery', String(totalOf(warm.calls.first)), listCalls(warm.calls.first));
  row('duplicate', String(totalOf(warm.calls.duplicate)), listCalls(warm.calls.duplicate));
  row('metadata-only update', String(totalOf(warm.calls.metadataOnly)), listCalls(warm.calls.metadataOnly));

  const { direct, modelled } = report.batches;
  table('SQS batch against a batch of 1 record', 'moto direct', latencyModel(report));
  const batchRow = (label: string, pick: (figures: BatchFigures) => Comparison) =>
    row(
      label,
      `${ratio(pick(direct))} (${spread(pick(direct).subject)})`,
      `${ratio(pick(modelled))} (${spread(pick(modelled).subject)})`,
    );
  batchRow('10 records, 10 secrets', (figures) => figures.standard10);
  batchRow('100 records, 100 secrets', (figures) => figures.standard100);
  batchRow('FIFO: 10 records in 10 groups', (figures) => figures.fifo10Groups);
  batchRow('FIFO: 10 records in 1 group (in order, by design)', (figures) => figures.fifo1Group);
  batchRow('floor: 10 bare UpdateSecret at once vs 1', (figures) => figures.bare10);

  table('memory (one process, the sqs bundle)', 'peak RSS', 'heap after a full GC');
  const memoryRow = (label: string, figures: MemoryFigures) =>
    row(label, megabytes(figures.peakRssBytes), megabytes(figures.heapUsedAfterGcBytes));
  memoryRow('bundle loaded, no request', report.memory.loaded);
  memoryRow(`after ${report.memory.requests.toLocaleString('en-US')} requests`, report.memory.handled);

  table('goal', 'result');
  for (const check of checkTargets(report)) row(check.goal, mark(check.met));
  return lines.join('\n');
}
