import { clamp } from './clock.js';
import { NO_EFFECTS, type ScenarioEffects } from './models/model.js';
import type { WeatherOverride } from './weather.js';

export const SCENARIOS = ['normal', 'pollution-episode', 'heavy-rain', 'pump-failure', 'effluent-exceedance', 'gas-leak', 'gale', 'sensor-faults'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export function isScenario(name: string): name is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(name);
}

/** The sites each scenario strikes (from the district's seed). */
export const TARGETS = {
  pumpFailure: 'pump-lingshuiwan-2',
  gasLeak: 'gas-hekou-riser',
} as const;

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const ramp = (elapsed: number, over: number): number => clamp(elapsed / over, 0, 1);

export interface Scenario {
  name: ScenarioName;
  weather(elapsedMs: number): WeatherOverride;
  effects(elapsedMs: number): ScenarioEffects;
  /** Devices misbehave (dropouts, stuck values, spikes, malformed payloads, duplicates, late batches). */
  sensorFaults: boolean;
}

/** What each scenario does, as a function of the time since it started. */
export function scenario(name: ScenarioName): Scenario {
  const base = { name, sensorFaults: false, weather: (): WeatherOverride => ({}), effects: (): ScenarioEffects => NO_EFFECTS };
  switch (name) {
    case 'normal':
      return base;
    case 'pollution-episode':
      // Stagnant air over three days: calm wind, strong inversions, a regional build-up.
      return {
        ...base,
        weather: (e) => ({ windMs: 3 - 1.8 * ramp(e, DAY), inversionBoost: 0.35 * ramp(e, 2 * DAY) }),
        effects: (e) => ({ ...NO_EFFECTS, pmFactor: 1 + 2.6 * ramp(e, 3 * DAY) }),
      };
    case 'heavy-rain':
      // A rainstorm building over 20 minutes to 35 mm/h and lasting six hours.
      return { ...base, weather: (e) => ({ rainMmH: e < 6 * HOUR ? 35 * ramp(e, 20 * MIN) : 0 }) };
    case 'pump-failure':
      // The duty pump trips and the standby fails to start.
      return { ...base, effects: (e) => ({ ...NO_EFFECTS, pumpsFailed: new Map(e >= MIN ? [[TARGETS.pumpFailure, 2]] : []) }) };
    case 'effluent-exceedance':
      // A process upset at the plant: effluent worsens over an hour.
      return { ...base, effects: (e) => ({ ...NO_EFFECTS, effluentFactor: 1 + 1.3 * ramp(e, HOUR) }) };
    case 'gas-leak':
      // A leak at a residential riser: combustible gas climbs past 25 and 50 %LEL within a minute.
      return { ...base, effects: (e) => ({ ...NO_EFFECTS, gasLeak: new Map(e >= 5000 ? [[TARGETS.gasLeak, Math.min(85, 2 + ((e - 5000) / 1000) * 1.6)]] : []) }) };
    case 'gale':
      // Half the small vessels are out when the wind rises to force 8 within ten minutes.
      return { ...base, weather: (e) => ({ windMs: 6 + 11.5 * ramp(e, 10 * MIN) }), effects: () => ({ ...NO_EFFECTS, vesselsOutShare: 0.5 }) };
    case 'sensor-faults':
      return { ...base, sensorFaults: true };
  }
}
