import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { alarmState, muteActive, muteFor, parseMute, type Mute } from '../live/alarm-policy';
import { useAlertsStore } from './alerts';

const MUTE_KEY = 'tidewatch.alarm.mute';

/**
 * The duty room's alarm: what rings now, the mute (kept across reloads until it ends), and a
 * clock ticking each second for waiting times and the mute's countdown.
 */
export const useAlarmStore = defineStore('alarm', () => {
  const alerts = useAlertsStore();
  const now = ref(Date.now());
  const mute = ref<Mute | null>(parseMute(localStorage.getItem(MUTE_KEY), Date.now()));
  const state = computed(() => alarmState(alerts.open.values(), mute.value, now.value));

  /** Moves the clock on; a mute that has ended is dropped (and forgotten by the storage). */
  function tick(at = Date.now()): void {
    now.value = at;
    if (mute.value && !muteActive(mute.value, at)) unmute();
  }

  function muteMinutes(minutes: number): void {
    if (state.value.ringing.length === 0) return;
    mute.value = muteFor(state.value.ringing, minutes, Date.now());
    localStorage.setItem(MUTE_KEY, JSON.stringify(mute.value));
  }

  function unmute(): void {
    mute.value = null;
    localStorage.removeItem(MUTE_KEY);
  }

  return { now, mute, state, tick, muteMinutes, unmute };
});
