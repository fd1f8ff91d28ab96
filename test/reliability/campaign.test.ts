import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../support/fault-proxy.ts';
import { type CampaignSettings, formatFigures, runCampaign } from './campaign.ts';

/** `npm test` runs a short campaign; `npm run test:reliability` (RELIABILITY_SCALE=full) over 1,000 deliveries. */
const full = process.env.RELIABILITY_SCALE === 'full';
const settings: CampaignSettings = {
  seed: Number(process.env.RELIABILITY_SEED ?? randomInt(1, 2 ** 31)),
  logicalUpdates: full ? 420 : 40,
  secrets: full ? 12 : 6,
  orderedSecrets: full ? 4 : 2,
  faultRate: 0.35,
  concurrency: 8,
};

describe(`reliability campaign (seed ${settings.seed}; replay with RELIABILITY_SEED=${settings.seed})`, () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await FaultProxy.start(process.env.AWS_ENDPOINT_URL ?? '');
  });
  afterAll(async () => {
    await proxy.stop();
  });

  it('creates no duplicate version, loses no update and keeps the order where it is defined', async () => {
    // Act
    const figures = await runCampaign(settings, proxy);
    console.log(`\nreliability campaign\n${formatFigures(figures)}\n`);

    // Assess
    expect(figures.duplicateVersions).toBe(0);
    expect(figures.lost).toBe(0);
    expect(figures.orderViolations).toBe(0);
    // Every update is counted once: applied (dead-lettered all the same or not), or not applied and failed visibly.
    expect(figures.applied + figures.failedVisibly).toBe(figures.logicalUpdates);
    expect(Object.values(figures.faultsInjected).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    if (full) expect(figures.deliveries).toBeGreaterThanOrEqual(1_000);
  }, 900_000);
});
