import { describe, expect, it } from 'vitest';
import { CadenceLearner, GAP_WINDOW } from './cadence-learner.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 9, 1);

function feed(learner: CadenceLearner, times: number[], site = 1): (number | null)[] {
  return times.map((t) => learner.observe(site, t));
}

describe('CadenceLearner', () => {
  it('learns 1-, 5-, 15- and 60-minute cadences from the second reading on', () => {
    for (const minutes of [1, 5, 15, 60]) {
      const learner = new CadenceLearner();
      const seen = feed(learner, [0, 1, 2, 3].map((i) => T0 + i * minutes * MIN));
      expect(seen).toEqual([null, minutes * 60, minutes * 60, minutes * 60]);
    }
  });

  it('keeps the usual gap when readings are dropped, and ignores jitter of a few seconds', () => {
    const learner = new CadenceLearner();
    // A 5-minute station that lost a third of its readings, each time a second or two off.
    const times = [0, 1, 3, 4, 5, 7, 8, 9, 11, 12, 13, 15, 16].map((i, k) => T0 + i * 5 * MIN + (k % 3) * 1000);
    expect(feed(learner, times).at(-1)).toBe(300);
  });

  it('follows a change of cadence once the new gap is the most frequent', () => {
    const learner = new CadenceLearner();
    const fiveMin = Array.from({ length: GAP_WINDOW + 1 }, (_, i) => T0 + i * 5 * MIN);
    feed(learner, fiveMin);
    expect(learner.learnedS(1)).toBe(300);
    const start = fiveMin.at(-1)!;
    const oneMin = Array.from({ length: 12 }, (_, i) => start + (i + 1) * MIN);
    const seen = feed(learner, oneMin);
    const switched = seen.indexOf(60);
    expect(switched).toBeGreaterThan(0);
    expect(switched).toBeLessThanOrEqual(GAP_WINDOW / 2 + 1);
    expect(seen.at(-1)).toBe(60);
  });

  it('skips late readings, repeats of a time and outages longer than a day', () => {
    const learner = new CadenceLearner();
    feed(learner, [T0, T0 + 5 * MIN, T0 + 10 * MIN]);
    expect(learner.observe(1, T0 + 2 * MIN)).toBe(300); // late: says nothing of the gap
    expect(learner.observe(1, T0 + 10 * MIN)).toBe(300); // the same time again
    expect(learner.observe(1, T0 + 10 * MIN + 3 * 86_400_000)).toBe(300); // a three-day outage
    expect(learner.observe(1, T0 + 10 * MIN + 3 * 86_400_000 + 5 * MIN)).toBe(300);
  });

  it('starts from a stored interval until the data say otherwise', () => {
    const learner = new CadenceLearner();
    learner.seed(7, 3600);
    expect(learner.observe(7, T0)).toBe(3600);
    expect(learner.learnedS(7)).toBe(3600);
    learner.observe(7, T0 + 10 * MIN);
    expect(learner.learnedS(7)).toBe(600);
    learner.seed(7, 3600); // a seed never overrides what was learned
    expect(learner.learnedS(7)).toBe(600);
    expect(learner.learnedS(8)).toBeNull();
  });

  it('tells from when the hours are to be judged again when the interval grows, never when it shrinks', () => {
    const learner = new CadenceLearner();
    const oneMin = Array.from({ length: 20 }, (_, i) => T0 + i * MIN);
    feed(learner, oneMin);
    expect(learner.takeRises()).toEqual([]);
    const last = oneMin.at(-1)!;
    const fiveMin = Array.from({ length: 12 }, (_, i) => last + (i + 1) * 5 * MIN);
    feed(learner, fiveMin);
    // The new cadence began with the gap after the last 1-minute reading.
    expect(learner.takeRises()).toEqual([{ siteKey: 1, intervalS: 300, fromMs: last }]);
    feed(learner, Array.from({ length: 20 }, (_, i) => fiveMin.at(-1)! + (i + 1) * MIN));
    expect(learner.learnedS(1)).toBe(60);
    expect(learner.takeRises()).toEqual([]);
  });

  it('takes the shorter gap when two are as frequent', () => {
    const learner = new CadenceLearner();
    // Gaps 10, 5, 10, 5 minutes.
    expect(feed(learner, [0, 10, 15, 25, 30].map((m) => T0 + m * MIN)).at(-1)).toBe(300);
  });
});
