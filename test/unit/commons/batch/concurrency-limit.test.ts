import { describe, expect, it } from 'vitest';
import { createConcurrencyLimit } from '../../../../functions/commons/batch/concurrency-limit.ts';
import { deferred, settle } from '../../support/deferred.ts';

describe('createConcurrencyLimit', () => {
  it('runs at most the limit and starts the waiting tasks in arrival order', async () => {
    // Prepare
    const limit = createConcurrencyLimit(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];

    // Act
    const results = gates.map((gate, index) =>
      limit(async () => {
        started.push(index);
        await gate.promise;
        return index;
      }),
    );
    await settle();
    const startedFirst = [...started];
    gates[1]?.resolve();
    await settle();
    const startedSecond = [...started];
    gates[0]?.resolve();
    gates[2]?.resolve();
    gates[3]?.resolve();

    // Assess
    expect(startedFirst).toEqual([0, 1]);
    expect(startedSecond).toEqual([0, 1, 2]);
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('frees the slot of a failed task and passes its error on', async () => {
    // Prepare
    const limit = createConcurrencyLimit(1);
    const failure = new Error('task failed');

    // Act
    const first = limit(() => Promise.reject(failure));
    const second = limit(() => Promise.resolve('second ran'));

    // Assess
    await expect(first).rejects.toBe(failure);
    await expect(second).resolves.toBe('second ran');
  });

  it('frees the slot of a task that throws before returning a promise', async () => {
    // Prepare
    const limit = createConcurrencyLimit(1);

    // Act
    const first = limit((): Promise<never> => {
      throw new Error('thrown synchronously');
    });
    const second = limit(() => Promise.resolve('second ran'));

    // Assess
    await expect(first).rejects.toThrow('thrown synchronously');
    await expect(second).resolves.toBe('second ran');
  });

  it('never runs a newcomer beside the waiting task that a finished task handed its slot to', async () => {
    // Prepare
    const limit = createConcurrencyLimit(1);
    const [firstGate, secondGate, thirdGate] = [deferred(), deferred(), deferred()];
    let inFlight = 0;
    let maxInFlight = 0;
    const task = (gate: Promise<void>) => (): Promise<void> => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return gate.then(() => {
        inFlight -= 1;
      });
    };
    void limit(task(firstGate.promise));
    void limit(task(secondGate.promise));
    await settle();

    // Act: the first task finishes, and a third one arrives in the same turn, one callback later
    firstGate.resolve();
    void Promise.resolve()
      .then(() => {})
      .then(() => limit(task(thirdGate.promise)));
    await settle();

    // Assess
    expect(maxInFlight).toBe(1);
    secondGate.resolve();
    thirdGate.resolve();
    await settle();
  });
});
