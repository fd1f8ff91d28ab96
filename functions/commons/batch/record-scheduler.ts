import type { SQSRecord } from 'aws-lambda';
import { createConcurrencyLimit } from './concurrency-limit.ts';

/** Runs one record's work under the batch's rules, or calls `onBlocked` when its FIFO group already failed. */
export type RecordScheduler = <T>(
  record: SQSRecord,
  work: () => Promise<T>,
  onBlocked: () => Error,
) => Promise<T>;

interface GroupTurn {
  /** Settles when the previous record of the same message group is done; true when it succeeded. */
  readonly previousSucceeded: Promise<boolean> | undefined;
  readonly finish: (succeeded: boolean) => void;
}

/**
 * Plans one batch: at most `concurrency` records in flight; on a FIFO queue, records of one message group
 * run one after the other in their order, and once one fails the rest of its group is returned unprocessed
 * (so the queue redelivers them in order) while other groups go on. Built once per batch, from the records
 * in the order SQS delivered them, so the order holds however the batch processor calls the work.
 */
export function scheduleBatch(records: readonly SQSRecord[], concurrency: number): RecordScheduler {
  const limit = createConcurrencyLimit(concurrency);
  const turns = isFifoBatch(records) ? planGroupTurns(records) : new Map<SQSRecord, GroupTurn>();
  return async (record, work, onBlocked) => {
    const turn = turns.get(record);
    if (turn === undefined) return limit(work);
    if (turn.previousSucceeded !== undefined && !(await turn.previousSucceeded)) {
      turn.finish(false);
      throw onBlocked();
    }
    try {
      const result = await limit(work);
      turn.finish(true);
      return result;
    } catch (failure) {
      turn.finish(false);
      throw failure;
    }
  };
}

const isFifoBatch = (records: readonly SQSRecord[]): boolean =>
  records.some(
    (record) => typeof record.eventSourceARN === 'string' && record.eventSourceARN.endsWith('.fifo'),
  );

// Keyed by the record objects themselves (the batch processor hands the same objects back): two records
// with one messageId would otherwise share a turn and wait on themselves.
function planGroupTurns(records: readonly SQSRecord[]): Map<SQSRecord, GroupTurn> {
  const turns = new Map<SQSRecord, GroupTurn>();
  const lastOfGroup = new Map<string, Promise<boolean>>();
  for (const record of records) {
    // A FIFO record always has a group; a missing one is treated as its own group rather than dropped.
    const group = record.attributes?.MessageGroupId ?? `\u0000${record.messageId}`;
    let finish: (succeeded: boolean) => void = () => {};
    const done = new Promise<boolean>((resolve) => {
      finish = resolve;
    });
    turns.set(record, { previousSucceeded: lastOfGroup.get(group), finish });
    lastOfGroup.set(group, done);
  }
  return turns;
}
