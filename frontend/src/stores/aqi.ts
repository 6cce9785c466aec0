import { defineStore } from 'pinia';
import { shallowRef } from 'vue';

export interface AqiCategory {
  zh: string;
  en: string;
  colour: string;
  level: number;
}

export interface AqiEntry {
  aqi: number | null;
  category: AqiCategory | null;
  primary: string[];
}

export interface LatestAqi {
  hour: string;
  standard: string;
  district: AqiEntry & { valid_stations: number };
  stations: (AqiEntry & { site: string; name_zh: string; name_en: string })[];
}

export const useAqiStore = defineStore('aqi', () => {
  const latest = shallowRef<LatestAqi | null>(null);
  function set(a: LatestAqi | null): void {
    latest.value = a;
  }
  return { latest, set };
});
