import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scheduleBatch } from '../../../../functions/commons/batch/record-scheduler.ts';
import { type Deferred, deferred, handled, settle } from '../../support/deferred.ts';
import { sqsRecord } from './sqs-records.ts';

/** Work whose every task the test finishes by hand, counting what is in flight. */
function manualWork() {
  const started: string[] = [];
  const finished: string[] = [];
  const gates = new Map<string, Deferred<void>>();
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    started,
    finished,
    get maxInFlight() {
      return maxInFlight;
    },
    task: (id: string) => async (): Promise<string> => {
      started.push(id);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const gate = deferred();
      gates.set(id, gate);
      try {
        await gate.promise;
        return `done ${id}`;
      } finally {
        inFlight -= 1;
        finished.push(id);
      }
    },
    succeed: async (id: string): Promise<void> => {
      gates.get(id)?.resolve();
      await settle();
    },
    fail: async (id: string, error: Error): Promise<void> => {
      gates.get(id)?.reject(error);
      await settle();
    },
  };
}

const blockedError = (id: string) => new Error(`blocked ${id}`);

describe('scheduleBatch', () => {
  describe('on a standard queue', () => {
    it('never runs more records than the concurrency, starting the next as one finishes', async () => {
      // Prepare
      const records = ['m1', 'm2', 'm3', 'm4', 'm5'].map((id) => sqsRecord(id, 'standard'));
      const runInTurn = scheduleBatch(records, 2);
      const work = manualWork();

      // Act
      const results = records.map((record) =>
        handled(runInTurn(record, work.task(record.messageId), () => blockedError(record.messageId))),
      );
      await settle();
      const startedFirst = [...work.started];
      await work.succeed('m2');
      const startedAfterOne = [...work.started];
      for (const id of ['m1', 'm3', 'm4', 'm5']) await work.succeed(id);

      // Assess
      expect(startedFirst).toEqual(['m1', 'm2']);
      expect(startedAfterOne).toEqual(['m1', 'm2', 'm3']);
      expect(work.maxInFlight).toBe(2);
      expect(await Promise.all(results)).toEqual(['done m1', 'done m2', 'done m3', 'done m4', 'done m5']);
    });

    it('runs records concurrently up to the limit, whatever message group they name', async () => {
      // Prepare
      const records = ['m1', 'm2', 'm3'].map((id) => sqsRecord(id, 'standard', 'same-group'));
      const runInTurn = scheduleBatch(records, 3);
      const work = manualWork();

      // Act
      const results = records.map((record) =>
        handled(runInTurn(record, work.task(record.messageId), () => blockedError(record.messageId))),
      );
      await settle();
      const startedBeforeAnyFinished = [...work.started];
      await work.fail('m1', new Error('m1 failed'));
      await work.succeed('m3');
      await work.succeed('m2');

      // Assess
      expect(startedBeforeAnyFinished).toEqual(['m1', 'm2', 'm3']);
      const settled = await Promise.allSettled(results);
      expect(settled.map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    });
  });

  describe('on a FIFO queue', () => {
    it('starts the records of a group in their order, each after the previous one finished', async () => {
      // Prepare
      const records = ['m1', 'm2', 'm3'].map((id) => sqsRecord(id, 'fifo', 'group-a'));
      const runInTurn = scheduleBatch(records, 10);
      const work = manualWork();

      // Act: the batch processor calls the records in reverse order
      const results = [...records]
        .reverse()
        .map((record) =>
          handled(runInTurn(record, work.task(record.messageId), () => blockedError(record.messageId))),
        );
      await settle();
      const startedFirst = [...work.started];
      await work.succeed('m1');
      const startedSecond = [...work.started];
      await work.succeed('m2');
      await work.succeed('m3');

      // Assess
      expect(startedFirst).toEqual(['m1']);
      expect(startedSecond).toEqual(['m1', 'm2']);
      expect(work.started).toEqual(['m1', 'm2', 'm3']);
      expect(work.maxInFlight).toBe(1);
      expect(await Promise.all(results)).toEqual(['done m3', 'done m2', 'done m1']);
    });

    it('runs different groups at the same time', async () => {
      // Prepare
      const records = [sqsRecord('a1', 'fifo', 'group-a'), sqsRecord('b1', 'fifo', 'group-b')];
      const runInTurn = scheduleBatch(records, 2);
      const work = manualWork();

      // Act
      const results = records.map((record) =>
        handled(runInTurn(record, work.task(record.messageId), () => blockedError(record.messageId))),
      );
      await settle();
      const startedBeforeAnyFinished = [...work.started];
      await work.succeed('b1');
      await work.succeed('a1');

      // Assess
      expect(startedBeforeAnyFinished).toEqual(['a1', 'b1']);
      await Promise.all(results);
    });

    it('blocks the later records of a failed group without running them, while other groups go on', async () => {
      // Prepare
      const records = [
        sqsRecord('a1', 'fifo', 'group-a'),
        sqsRecord('b1', 'fifo', 'group-b'),
        sqsRecord('a2', 'fifo', 'group-a'),
        sqsRecord('b2', 'fifo', 'group-b'),
        sqsRecord('a3', 'fifo', 'group-a'),
      ];
      const runInTurn = scheduleBatch(records, 10);
      const work = manualWork();
      const blockedCalls: string[] = [];
      const a1Failure = new Error('a1 failed');

      // Act
      const results = records.map((record) =>
        handled(
          runInTurn(record, work.task(record.messageId), () => {
            blockedCalls.push(record.messageId);
            return blockedError(record.messageId);
          }),
        ),
      );
      await settle();
      await work.fail('a1', a1Failure);
      await work.succeed('b1');
      await work.succeed('b2');
      const settled = await Promise.allSettled(results);

      // Assess
      expect(work.started).toEqual(['a1', 'b1', 'b2']);
      expect(blockedCalls).toEqual(['a2', 'a3']);
      expect(settled).toEqual([
        { status: 'rejected', reason: a1Failure },
        { status: 'fulfilled', value: 'done b1' },
        { status: 'rejected', reason: blockedError('a2') },
        { status: 'fulfilled', value: 'done b2' },
        { status: 'rejected', reason: blockedError('a3') },
      ]);
    });

    it('treats a record without a message group as a group of its own', async () => {
      // Prepare
      const records = [sqsRecord('x1', 'fifo'), sqsRecord('x2', 'fifo')];
      const runInTurn = scheduleBatch(records, 10);
      const work = manualWork();

      // Act
      const results = records.map((record) =>
        handled(runInTurn(record, work.task(record.messageId), () => blockedError(record.messageId))),
      );
      await settle();
      const startedBeforeAnyFinished = [...work.started];
      await work.fail('x1', new Error('x1 failed'));
      await work.succeed('x2');

      // Assess
      expect(startedBeforeAnyFinished).toEqual(['x1', 'x2']);
      expect((await Promise.allSettled(results)).map((result) => result.status)).toEqual([
        'rejected',
        'fulfilled',
      ]);
    });

    it('keeps the limit when a group moves on while another record hands its slot to a waiting one', async () => {
      // Prepare: two slots, both taken; c1 and d1 wait for a slot, a2 waits for a1
      const records = [
        sqsRecord('a1', 'fifo', 'group-a'),
        sqsRecord('b1', 'fifo', 'group-b'),
        sqsRecord('c1', 'fifo', 'group-c'),
        sqsRecord('d1', 'fifo', 'group-d'),
        sqsRecord('a2', 'fifo', 'group-a'),
      ];
      const runInTurn = scheduleBatch(records, 2);
      const work = manualWork();
      const results = records.map((record) =>
        handled(runInTurn(record, work.task(record.messageId), () => blockedError(record.messageId))),
      );
      await settle();

      // Act: a1 finishes, and b1 one callback later (two fast answers in the same turn)
      void work.succeed('a1');
      void Promise.resolve().then(() => work.succeed('b1'));
      await settle();
      for (const id of ['c1', 'd1', 'a2']) await work.succeed(id);

      // Assess
      expect(work.maxInFlight).toBeLessThanOrEqual(2);
      await Promise.allSettled(results);
    });
  });

  describe('under any interleaving', () => {
    const batchSpec = fc.record({
      fifo: fc.boolean(),
      concurrency: fc.integer({ min: 1, max: 3 }),
      records: fc.array(fc.record({ group: fc.constantFrom('g1', 'g2', 'g3'), fails: fc.boolean() }), {
        minLength: 1,
        maxLength: 8,
      }),
    });

    it('keeps the concurrency limit, the group order and the blocking of failed groups', async () => {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), batchSpec, async (scheduler, spec) => {
          // Prepare
          const records = spec.records.map((item, index) =>
            sqsRecord(`m${index}`, spec.fifo ? 'fifo' : 'standard', item.group),
          );
          const runInTurn = scheduleBatch(records, spec.concurrency);
          const events: Array<{ readonly kind: 'start' | 'end'; readonly index: number }> = [];
          let inFlight = 0;
          let maxInFlight = 0;

          // Act: records arrive, and their work finishes, in an order the scheduler picks
          const results = records.map((record, index) =>
            scheduler.schedule(Promise.resolve(), `arrive m${index}`).then(() =>
              handled(
                runInTurn(
                  record,
                  async () => {
                    events.push({ kind: 'start', index });
                    inFlight += 1;
                    maxInFlight = Math.max(maxInFlight, inFlight);
                    await scheduler.schedule(Promise.resolve(), `finish m${index}`);
                    inFlight -= 1;
                    events.push({ kind: 'end', index });
                    if (spec.records[index]?.fails) throw new Error(`m${index} failed`);
                    return index;
                  },
                  () => new Error(`m${index} blocked`),
                ),
              ),
            ),
          );
          await scheduler.waitIdle();
          const settled = await Promise.allSettled(results);

          // Assess
          expect(maxInFlight).toBeLessThanOrEqual(spec.concurrency);
          if (!spec.fifo) {
            expect(events.filter((event) => event.kind === 'start')).toHaveLength(records.length);
            return;
          }
          for (const group of ['g1', 'g2', 'g3']) {
            const members = spec.records.flatMap((item, index) => (item.group === group ? [index] : []));
            const firstFailure = members.findIndex((index) => spec.records[index]?.fails);
            const expectedToRun = firstFailure === -1 ? members : members.slice(0, firstFailure + 1);
            const groupEvents = events.filter((event) => members.includes(event.index));
            expect(groupEvents).toEqual(
              expectedToRun.flatMap((index) => [
                { kind: 'start', index },
                { kind: 'end', index },
              ]),
            );
            for (const blocked of members.slice(expectedToRun.length)) {
              expect(settled[blocked]).toEqual({
                status: 'rejected',
                reason: new Error(`m${blocked} blocked`),
              });
            }
          }
        }),
      );
    });
  });
});
