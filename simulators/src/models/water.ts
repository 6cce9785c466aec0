import { NOMINAL_INTERVAL_S } from '@tidewatch/contracts';
import { bump, clamp, daily } from '../clock.js';
import type { Random } from '../random.js';
import { round, type DeviceModel, type ModelEnv, type SimEvent, type SimSite } from './model.js';

/** Semi-diurnal tide (M2, 12.42 h), −1 to 1. */
export function tide(ms: number): number {
  return Math.sin((ms / 3_600_000 / 12.42) * 2 * Math.PI);
}

/** Oxygen solubility in fresh water, mg/L, by temperature (a fit good to ±0.1 mg/L for 0–35 °C). */
function doSaturation(tempC: number): number {
  return 14.62 - 0.3898 * tempC + 0.006969 * tempC ** 2 - 0.00005896 * tempC ** 3;
}

abstract class SlowWater implements DeviceModel {
  protected drift: Record<string, number> = {};
  protected readonly events: SimEvent[] = [];
  constructor(readonly site: SimSite, protected readonly rnd: Random) {}

  /** Slowly wandering relative anomaly per parameter (correlation time ~12 h). */
  advance(_ms: number, dtS: number): void {
    const decay = Math.exp(-dtS / 43_200);
    for (const key of this.keys()) {
      this.drift[key] = (this.drift[key] ?? 0) * decay + Math.sqrt(1 - decay ** 2) * this.rnd.gauss() * 0.06;
    }
  }

  protected d(key: string): number {
    return 1 + (this.drift[key] ?? 0);
  }

  protected abstract keys(): string[];
  abstract read(ms: number, env: ModelEnv): Record<string, number>;
  abstract reportIntervalS(): number;

  drainEvents(): SimEvent[] {
    return this.events.splice(0);
  }
}

/** The plant's online effluent monitor: well inside GB 18918 class 1A in normal operation. */
export class WastewaterPlant extends SlowWater {
  protected keys(): string[] {
    return ['cod', 'nh3n', 'tn', 'tp', 'ss'];
  }

  read(ms: number, env: ModelEnv): Record<string, number> {
    const waterTemp = clamp(env.weather.seaTempC + 4, 8, 28);
    // Nitrification slows in cold water: ammonia rises as the water cools.
    const cold = clamp((16 - waterTemp) / 8, 0, 1);
    const f = env.effects.effluentFactor;
    const designM3h = Number(this.site.params?.design_flow_m3d ?? 60_000) / 24;
    const n = (sd: number): number => 1 + this.rnd.gauss() * sd;
    return {
      cod_mgl: round(clamp(26 * this.d('cod') * f * n(0.04), 3, 9000), 2),
      nh3n_mgl: round(clamp((0.8 + 1.8 * cold) * this.d('nh3n') * f ** 2.8 * n(0.05), 0.05, 9000), 3),
      tn_mgl: round(clamp((8.5 + 2 * cold) * this.d('tn') * f * n(0.03), 1, 9000), 2),
      tp_mgl: round(clamp(0.24 * this.d('tp') * f * n(0.05), 0.01, 9000), 3),
      ss_mgl: round(clamp(5 * this.d('ss') * f * n(0.06), 0.5, 9000), 1),
      ph: round(clamp(7.15 + 0.1 * daily(ms, 15) + this.rnd.gauss() * 0.03 - (f > 1 ? 0.2 * (f - 1) : 0), 5, 9.5), 2),
      flow_m3h: round(designM3h * (0.78 + 0.22 * bump(ms, 11, 3.5) + 0.12 * bump(ms, 21, 2.5)) * n(0.01), 0),
      water_temp_c: round(waterTemp + 0.3 * daily(ms, 16) + this.rnd.gauss() * 0.05, 1),
    };
  }

  reportIntervalS(): number {
    return NOMINAL_INTERVAL_S.wwtp;
  }
}

/** A river section: class II–III upstream, class III–IV at the mouth (target classes in params). */
export class RiverSection extends SlowWater {
  protected keys(): string[] {
    return ['do', 'codmn', 'cod', 'nh3n', 'tp'];
  }

  read(ms: number, env: ModelEnv): Record<string, number> {
    const mouth = this.site.params?.target_class === 'IV';
    const waterTemp = clamp(env.weather.tempC * 0.7 + 4, 0.5, 32);
    const runoff = clamp(env.weather.rainMmH / 10, 0, 1.5); // rain washes pollutants in
    const photo = 0.6 * daily(ms, 15); // algae produce oxygen by day and use it at night
    const load = (mouth ? 1.45 : 1) * (1 + 0.4 * runoff);
    const n = (sd: number): number => 1 + this.rnd.gauss() * sd;
    return {
      do_mgl: round(clamp((doSaturation(waterTemp) * (mouth ? 0.72 : 0.85) + photo) * this.d('do') * n(0.01), 0.5, 20), 2),
      codmn_mgl: round(clamp(3.6 * load * this.d('codmn') * n(0.03), 0.5, 400), 2),
      cod_mgl: round(clamp(14 * load * this.d('cod') * n(0.03), 2, 900), 2),
      nh3n_mgl: round(clamp(0.42 * load * this.d('nh3n') * n(0.04), 0.02, 400), 3),
      tp_mgl: round(clamp(0.09 * load * this.d('tp') * n(0.04), 0.005, 90), 3),
      ph: round(clamp(7.7 + 0.15 * daily(ms, 15) + this.rnd.gauss() * 0.03, 6, 9), 2),
      water_temp_c: round(waterTemp, 1),
    };
  }

  reportIntervalS(): number {
    return NOMINAL_INTERVAL_S.river;
  }
}

/** A near-shore buoy: class I–II sea water, moving with the tide and the season. */
export class SeaBuoy extends SlowWater {
  protected keys(): string[] {
    return ['do', 'cod', 'din', 'dip', 'oil'];
  }

  read(ms: number, env: ModelEnv): Record<string, number> {
    const t = tide(ms);
    const runoff = clamp(env.weather.rainMmH / 20, 0, 1);
    const sea = env.weather.seaTempC;
    const n = (sd: number): number => 1 + this.rnd.gauss() * sd;
    return {
      ph: round(clamp(8.12 + 0.04 * t + this.rnd.gauss() * 0.015, 7.9, 8.4), 2),
      do_mgl: round(clamp(doSaturation(sea) * 0.8 * this.d('do') * n(0.01), 5.2, 14), 2),
      cod_mgl: round(clamp(1.25 * (1 - 0.12 * t + 0.3 * runoff) * this.d('cod') * n(0.03), 0.3, 2.9), 2),
      din_mgl: round(clamp(0.13 * (1 - 0.15 * t + 0.3 * runoff) * this.d('din') * n(0.03), 0.02, 0.29), 3),
      dip_mgl: round(clamp(0.0095 * (1 - 0.1 * t) * this.d('dip') * n(0.04), 0.002, 0.028), 4),
      oil_mgl: round(clamp(0.018 * this.d('oil') * n(0.08), 0.002, 0.045), 3),
      water_temp_c: round(sea + 0.2 * daily(ms, 16), 1),
      salinity_psu: round(clamp(31.2 + 0.4 * t - 1.2 * runoff + this.rnd.gauss() * 0.05, 20, 35), 2),
      turbidity_ntu: round(clamp(3 + 1.2 * Math.abs(t) + 8 * runoff + this.rnd.gauss() * 0.3, 0.2, 300), 1),
    };
  }

  reportIntervalS(): number {
    return NOMINAL_INTERVAL_S.seawater;
  }
}
