/**
 * Learns each site's reporting interval from the gaps between the times of its readings,
 * as they arrive: the most frequent of the last GAP_WINDOW gaps (rounded to GAP_ROUND_S).
 * A station that drops readings leaves longer gaps, but its usual gap stays the most
 * frequent one, so its hours are judged on its true cadence; a device that changes cadence
 * is followed once the new gap is the most frequent, within about nine readings.
 *
 * Readings older than the newest seen for the site (a late reading, a second backfill) say
 * nothing about the gap and are skipped; readings of one time (one message's values) are
 * one report.
 *
 * When the interval grows (a 1-minute device now reports every 5 minutes), the readings at
 * the new cadence that came before the change was recognised stood for the old, shorter
 * interval; `takeRises` tells from which time on the site's hours are to be judged again.
 */
export const GAP_WINDOW = 16;
export const GAP_ROUND_S = 5;
/** Gaps longer than this are outages, not a cadence. */
export const MAX_LEARNED_GAP_S = 86_400;

interface SiteGaps {
  lastMs: number;
  /** The last gaps (seconds) and the time of the reading that started each. */
  gaps: number[];
  startsMs: number[];
  /** How often each gap occurs among `gaps` (kept as they come and go: no tally per reading). */
  counts: Map<number, number>;
  learnedS: number | null;
}

/** The interval of a site grew: its hours from `fromMs` on are judged again with `intervalS`. */
export interface CadenceRise {
  siteKey: number;
  intervalS: number;
  fromMs: number;
}

export const NO_RISES: readonly CadenceRise[] = Object.freeze([]);

export class CadenceLearner {
  private readonly bySite = new Map<number, SiteGaps>();
  private rises: CadenceRise[] = [];

  /** Starts from what an earlier run learned (the site's stored interval). */
  seed(siteKey: number, learnedS: number | null): void {
    if (learnedS && !this.bySite.has(siteKey)) this.bySite.set(siteKey, { lastMs: -Infinity, gaps: [], startsMs: [], counts: new Map(), learnedS });
  }

  /** Takes one report time of a site; returns the interval learned so far (null: none yet). */
  observe(siteKey: number, timeMs: number): number | null {
    let s = this.bySite.get(siteKey);
    if (!s) this.bySite.set(siteKey, (s = { lastMs: -Infinity, gaps: [], startsMs: [], counts: new Map(), learnedS: null }));
    if (timeMs <= s.lastMs) return s.learnedS;
    const gapS = Math.round((timeMs - s.lastMs) / 1000 / GAP_ROUND_S) * GAP_ROUND_S;
    const startMs = s.lastMs;
    s.lastMs = timeMs;
    if (gapS < GAP_ROUND_S || gapS > MAX_LEARNED_GAP_S) return s.learnedS;
    s.gaps.push(gapS);
    s.startsMs.push(startMs);
    s.counts.set(gapS, (s.counts.get(gapS) ?? 0) + 1);
    if (s.gaps.length > GAP_WINDOW) {
      const gone = s.gaps.shift()!;
      s.startsMs.shift();
      const left = s.counts.get(gone)! - 1;
      if (left === 0) s.counts.delete(gone);
      else s.counts.set(gone, left);
    }
    // The usual gap, once the window holds it; unchanged needs no tally.
    const learned = s.learnedS !== null && s.learnedS === gapS && s.counts.size === 1 ? gapS : mostFrequentOf(s.counts)!;
    if (learned !== s.learnedS) {
      if (s.learnedS !== null && learned > s.learnedS) this.rises.push({ siteKey, intervalS: learned, fromMs: s.startsMs[s.gaps.indexOf(learned)]! });
      s.learnedS = learned;
    }
    return learned;
  }

  learnedS(siteKey: number): number | null {
    return this.bySite.get(siteKey)?.learnedS ?? null;
  }

  /** Rises of the interval since the last call (see the class comment). */
  takeRises(): readonly CadenceRise[] {
    if (this.rises.length === 0) return NO_RISES;
    const out = this.rises;
    this.rises = [];
    return out;
  }
}

/** The most frequent gap; on a tie the shortest (a drop can only lengthen gaps). */
function mostFrequentOf(counts: ReadonlyMap<number, number>): number | null {
  let best: number | null = null;
  let bestCount = 0;
  for (const [v, c] of counts) {
    if (c > bestCount || (c === bestCount && best !== null && v < best)) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}
