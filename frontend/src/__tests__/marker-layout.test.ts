import type { SiteSnapshot } from '@tidewatch/contracts';
import { describe, expect, it } from 'vitest';
import { kindGlyph, markerLook, worstSeverityBySite } from '../components/map-style';
import { anyOverlap, spreadMarkers } from '../components/spread';

const site = (over: Partial<SiteSnapshot> = {}): SiteSnapshot => ({ id: 'x', kind: 'gas_point', name_zh: '', name_en: '', lat: 0, lon: 0, status: 'normal', online: true, last_seen: null, latest: {}, ...over });

describe('marker look', () => {
  it('tells critical from major by shape and colour, and only critical pulses', () => {
    const critical = markerLook(site({ status: 'alarm' }), 'critical');
    const major = markerLook(site({ status: 'alarm' }), 'major');
    expect(critical).toMatchObject({ shape: 'diamond', colour: '#c62828', pulse: true, severity: 'critical' });
    expect(major).toMatchObject({ shape: 'square', colour: '#ef6c00', pulse: false, severity: 'major' });
    expect(critical.key).not.toBe(major.key);
    expect(markerLook(site(), 'minor').shape).toBe('triangle');
    expect(markerLook(site(), 'warning').shape).toBe('circle');
  });

  it('without an open alert draws a circle in the status colour, a normal air station in its AQI category colour', () => {
    expect(markerLook(site({ status: 'offline' }), null)).toMatchObject({ shape: 'circle', colour: '#7a8593', pulse: false, severity: null });
    const air = site({ kind: 'air', indicator: { type: 'aqi', hour: '', aqi: 60, category: { zh: '良', en: 'Good', colour: '#FFFF00', level: 2 }, primary: [] } });
    expect(markerLook(air, undefined)).toMatchObject({ shape: 'circle', colour: '#FFFF00', text: '#1d2733' });
    // The key follows the status too (its class marks offline and alarm sites).
    expect(markerLook(site({ status: 'warning' }), 'major').key).not.toBe(markerLook(site({ status: 'alarm' }), 'major').key);
  });

  it('names the kind by a character on the Chinese page and a letter on the English one', () => {
    expect(kindGlyph('gas_point', 'zh')).toBe('燃');
    expect(kindGlyph('gas_point', 'en')).toBe('G');
  });

  it('takes each site’s worst open alert', () => {
    const worst = worstSeverityBySite([
      { site: 'a', severity: 'minor', state: 'active' },
      { site: 'a', severity: 'critical', state: 'acknowledged' },
      { site: 'a', severity: 'major', state: 'active' },
      { site: 'b', severity: 'critical', state: 'resolved' },
      { site: 'b', severity: 'warning', state: 'active' },
    ]);
    expect([...worst]).toEqual([['a', 'critical'], ['b', 'warning']]);
  });
});

describe('spreading overlapping markers', () => {
  it('leaves markers that overlap nothing where they are', () => {
    const pts = [{ x: 0, y: 0 }, { x: 40, y: 0 }, { x: 0, y: 40 }];
    expect(spreadMarkers(pts, 30)).toEqual(pts);
  });

  it('parts markers at the same spot and crowds, so that none overlaps, the same way every time', () => {
    const crowd = [...Array(12)].map((_, i) => ({ x: 100 + (i % 3) * 2, y: 100 + Math.floor(i / 3) * 3 }));
    crowd.push({ x: 100, y: 100 }, { x: 100, y: 100 });
    expect(anyOverlap(crowd, 30)).toBe(true);
    const out = spreadMarkers(crowd, 30);
    expect(anyOverlap(out, 30)).toBe(false);
    expect(spreadMarkers(crowd, 30)).toEqual(out);
    // They stay near where they were: within a few marker sizes of the crowd.
    for (const p of out) expect(Math.hypot(p.x - 102, p.y - 104)).toBeLessThan(4 * 30);
    // The input is not changed.
    expect(crowd[0]).toEqual({ x: 100, y: 100 });
  });

  it('moves a pair apart along the line between them, each by half the overlap', () => {
    const [a, b] = spreadMarkers([{ x: 0, y: 0 }, { x: 10, y: 0 }], 30);
    expect(a!.y).toBe(0);
    expect(b!.y).toBe(0);
    expect(a!.x).toBeCloseTo(-10, 1);
    expect(b!.x).toBeCloseTo(20, 1);
  });

  it('stops after the rounds it is given', () => {
    const pile = [...Array(40)].map(() => ({ x: 0, y: 0 }));
    const one = spreadMarkers(pile, 30, 1);
    expect(one).toHaveLength(40);
    expect(one.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))).toBe(true);
    expect(anyOverlap(spreadMarkers(pile, 30), 30)).toBe(false);
  });
});
