import type { SiteKind } from '@tidewatch/contracts';
import type { WeatherNow } from '../weather.js';

export interface SimSite {
  id: string;
  kind: SiteKind;
  params?: Record<string, unknown>;
}

export interface SimEvent {
  ts: number;
  type: string;
  data: Record<string, unknown>;
}

/** What the active scenario does to the district at one instant (see scenarios.ts). */
export interface ScenarioEffects {
  /** Multiplies the regional particulate level (pollution episode). */
  pmFactor: number;
  /** Sites whose pumps have failed, with how many pumps are out. */
  pumpsFailed: ReadonlyMap<string, number>;
  /** Combustible gas at a leaking point, %LEL. */
  gasLeak: ReadonlyMap<string, number>;
  /** Effluent quality factor at the plant (1 normal; > 1 worse). */
  effluentFactor: number;
  /** When set, at least this share of each port's vessels is at sea (they went out before a gale). */
  vesselsOutShare: number | null;
}

export const NO_EFFECTS: ScenarioEffects = { pmFactor: 1, pumpsFailed: new Map(), gasLeak: new Map(), effluentFactor: 1, vesselsOutShare: null };

export interface ModelEnv {
  weather: WeatherNow;
  effects: ScenarioEffects;
}

/**
 * One simulated device: physical state advanced in small steps, values read when the
 * device reports, and the events it emitted meanwhile.
 */
export interface DeviceModel {
  readonly site: SimSite;
  /** Advances the state to `ms` (steps of at most a few tens of seconds). */
  advance(ms: number, dtS: number, env: ModelEnv): void;
  /** The values the device reports now. */
  read(ms: number, env: ModelEnv): Record<string, number>;
  /** Events emitted since the last call. */
  drainEvents(): SimEvent[];
  /** Seconds until the next report (devices in alarm report faster). */
  reportIntervalS(): number;
}

/** Rounds to `digits` decimals, as a device's display would. */
export function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
