import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  alarmState,
  clockDuration,
  demandsAttention,
  flashes,
  isEscalated,
  MUTE_MINUTES,
  muteFor,
  parseMute,
  REPEAT_MS,
  toneDue,
  unacknowledgedMs,
} from '../live/alarm-policy';
import { tabTitle } from '../live/presence';
import { useAlarmStore } from '../stores/alarm';
import { useAlertsStore, type Alert } from '../stores/alerts';
import { alert } from './fixtures';

const T0 = Date.parse('2026-12-07T02:00:00Z');
const at = (ms: number): string => new Date(T0 + ms).toISOString();
const critical = (id: number, over: Partial<Alert> = {}): Alert => ({ ...alert(id, 'critical', at(0)), ...over });

describe('what demands attention', () => {
  it('an unacknowledged critical alert from current data, nothing else', () => {
    expect(demandsAttention(critical(1))).toBe(true);
    expect(demandsAttention(critical(1, { state: 'acknowledged' }))).toBe(false);
    expect(demandsAttention(critical(1, { state: 'resolved' }))).toBe(false);
    expect(demandsAttention(critical(1, { detail: { historical: true } }))).toBe(false);
    expect(demandsAttention(alert(1, 'major', at(0)))).toBe(false);
    // Cleared but never acknowledged: the desk must still acknowledge it.
    expect(demandsAttention(critical(1, { cleared: true }))).toBe(true);
  });

  it('an escalated alert is marked and flashes from its record alone (after a reload)', () => {
    const escalated = critical(2, { escalation_level: 1 });
    expect(isEscalated(escalated)).toBe(true);
    expect(flashes(escalated, new Set())).toBe(true);
    expect(isEscalated(critical(2, { escalation_level: 1, state: 'acknowledged' }))).toBe(false);
    expect(isEscalated(critical(2, { escalation_level: 2, detail: { historical: true } }))).toBe(false);
    expect(flashes(critical(3), new Set())).toBe(false);
    expect(flashes(critical(3), new Set([3]))).toBe(true);
    expect(flashes(critical(3, { state: 'acknowledged' }), new Set([3]))).toBe(false);
  });
});

describe('the alarm and its mute', () => {
  const open = [critical(1), critical(2), critical(3, { state: 'acknowledged' }), alert(4, 'major', at(0))];

  it('rings for every waiting critical alert until muted', () => {
    const s = alarmState(open, null, T0);
    expect(s.waiting.map((a) => a.id)).toEqual([1, 2]);
    expect(s.ringing.map((a) => a.id)).toEqual([1, 2]);
    expect(s.muteLeftMs).toBe(0);
  });

  it('a mute silences the alerts ringing when it was set, until it ends', () => {
    const mute = muteFor(alarmState(open, null, T0).ringing, 5, T0);
    expect(mute).toEqual({ until: T0 + 300_000, ids: [1, 2] });
    const during = alarmState(open, mute, T0 + 60_000);
    expect(during.ringing).toEqual([]);
    expect(during.waiting).toHaveLength(2); // the tab still counts them
    expect(during.muteLeftMs).toBe(240_000);
    const after = alarmState(open, mute, T0 + 300_000);
    expect(after.ringing.map((a) => a.id)).toEqual([1, 2]);
    expect(after.muteLeftMs).toBe(0);
  });

  it('a critical alert that arrives during a mute rings through it', () => {
    const mute = muteFor([critical(1)], 15, T0);
    const s = alarmState([critical(1), critical(9)], mute, T0 + 1000);
    expect(s.ringing.map((a) => a.id)).toEqual([9]);
  });

  it('repeats the tone every REPEAT_MS while something rings, never when nothing does', () => {
    const s = alarmState(open, null, T0);
    expect(toneDue(s, T0 - REPEAT_MS, T0)).toBe(true);
    expect(toneDue(s, T0 - REPEAT_MS + 1, T0)).toBe(false);
    expect(toneDue(alarmState([], null, T0), 0, T0)).toBe(false);
  });

  it('a stored mute is read back only while valid, and never longer than the longest choice', () => {
    const longest = MUTE_MINUTES[MUTE_MINUTES.length - 1] * 60_000;
    expect(parseMute(JSON.stringify({ until: T0 + 1000, ids: [1] }), T0)).toEqual({ until: T0 + 1000, ids: [1] });
    expect(parseMute(JSON.stringify({ until: T0 + 10 * longest, ids: [1] }), T0)).toEqual({ until: T0 + longest, ids: [1] });
    expect(parseMute(JSON.stringify({ until: T0 - 1, ids: [1] }), T0)).toBeNull();
    expect(parseMute(JSON.stringify({ until: 'soon', ids: [1] }), T0)).toBeNull();
    expect(parseMute(JSON.stringify({ until: T0 + 1000, ids: ['x'] }), T0)).toBeNull();
    expect(parseMute('{not json', T0)).toBeNull();
    expect(parseMute(null, T0)).toBeNull();
  });
});

describe('waiting times', () => {
  it('counts unacknowledged time, stops at acknowledgement', () => {
    expect(unacknowledgedMs(critical(1), T0 + 754_000)).toBe(754_000);
    expect(unacknowledgedMs(critical(1, { state: 'acknowledged' }), T0 + 754_000)).toBeNull();
    expect(unacknowledgedMs(critical(1), T0 - 5000)).toBe(0); // a browser clock behind the hub's
  });

  it('formats durations as m:ss, h:mm:ss past an hour', () => {
    expect(clockDuration(0)).toBe('0:00');
    expect(clockDuration(59_999)).toBe('0:59');
    expect(clockDuration(754_000)).toBe('12:34');
    expect(clockDuration(3_723_000)).toBe('1:02:03');
    expect(clockDuration(-5)).toBe('0:00');
  });
});

describe('the tab title', () => {
  const t = (key: string, v?: Record<string, unknown>): string => (key === 'alarm.tabTitle' ? `（${String(v?.n)}）紧急告警待确认` : key === 'app.short' ? '潮汐守望' : '潮汐守望 · 高新区');

  it('counts the waiting alerts and blinks while they ring', () => {
    expect(tabTitle(t, 0, false, true)).toBe('潮汐守望 · 高新区');
    expect(tabTitle(t, 2, true, true)).toBe('⚠ （2）紧急告警待确认 · 潮汐守望');
    expect(tabTitle(t, 2, true, false)).toBe('（2）紧急告警待确认 · 潮汐守望');
    expect(tabTitle(t, 2, false, true)).toBe('（2）紧急告警待确认 · 潮汐守望'); // muted: counted, not blinking
  });
});

describe('alarm store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    localStorage.clear();
  });

  it('mutes what rings, keeps the mute across a reload, and drops it when it ends', () => {
    const alerts = useAlertsStore();
    alerts.load([critical(1)], at(0));
    const alarm = useAlarmStore();
    alarm.tick(Date.now());
    expect(alarm.state.ringing).toHaveLength(1);
    alarm.muteMinutes(1);
    expect(alarm.state.ringing).toHaveLength(0);
    // A reload: a new store reads the mute back.
    setActivePinia(createPinia());
    useAlertsStore().load([critical(1)], at(0));
    const again = useAlarmStore();
    expect(again.mute?.ids).toEqual([1]);
    expect(again.state.ringing).toHaveLength(0);
    again.tick(Date.now() + 61_000);
    expect(again.mute).toBeNull();
    expect(localStorage.getItem('tidewatch.alarm.mute')).toBeNull();
    expect(again.state.ringing).toHaveLength(1);
  });

  it('has nothing to mute when nothing rings', () => {
    const alarm = useAlarmStore();
    alarm.muteMinutes(5);
    expect(alarm.mute).toBeNull();
  });
});
