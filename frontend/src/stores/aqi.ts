import type { AqiFigure, LatestAqi } from '@tidewatch/contracts';
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';

export type { AqiCategory, LatestAqi } from '@tidewatch/contracts';
/** What a badge shows of the district's or a station's AQI. */
export type AqiEntry = Pick<AqiFigure, 'aqi' | 'category' | 'primary'>;

export const useAqiStore = defineStore('aqi', () => {
  const latest = shallowRef<LatestAqi | null>(null);
  function set(a: LatestAqi | null): void {
    latest.value = a;
  }
  /** From a snapshot: an hour already received live is not replaced by an older one. */
  function load(a: LatestAqi | null): void {
    if (a && latest.value && latest.value.hour > a.hour) return;
    latest.value = a;
  }
  return { latest, set, load };
});
