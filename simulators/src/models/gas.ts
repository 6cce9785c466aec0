import { NOMINAL_INTERVAL_S } from '@tidewatch/contracts';
import { clamp, districtHour } from '../clock.js';
import type { Random } from '../random.js';
import { round, type DeviceModel, type ModelEnv, type SimEvent, type SimSite } from './model.js';

/** A detector in alarm reports every few seconds instead of its nominal interval. */
const ALARM_INTERVAL_S = 5;
/** Device-side alarm thresholds, %LEL (GB/T 50493: first ≤ 25, second ≤ 50). */
const LEVEL_1 = 25;
const LEVEL_2 = 50;

/** A gas safety point: pressure steady inside its class band, LEL near zero, household CO near zero. */
export class GasPoint implements DeviceModel {
  private readonly band: [number, number];
  private readonly household: boolean;
  private pressureAnomaly = 0;
  private lel = 0;
  private alarmLevel = 0;
  private readonly events: SimEvent[] = [];

  constructor(readonly site: SimSite, private readonly rnd: Random) {
    const band = site.params?.pressure_band_kpa;
    this.band = Array.isArray(band) && band.length === 2 ? [Number(band[0]), Number(band[1])] : [200, 400];
    this.household = site.params?.household === true;
  }

  advance(ms: number, dtS: number, env: ModelEnv): void {
    const decay = Math.exp(-dtS / 1800);
    this.pressureAnomaly = this.pressureAnomaly * decay + Math.sqrt(1 - decay ** 2) * this.rnd.gauss() * 0.06;
    const leak = env.effects.gasLeak.get(this.site.id);
    this.lel = leak !== undefined ? leak : Math.abs(this.rnd.gauss() * 0.15);
    const level = this.lel >= LEVEL_2 ? 2 : this.lel >= LEVEL_1 ? 1 : 0;
    if (level > this.alarmLevel) this.events.push({ ts: ms, type: 'gas_alarm', data: { level } });
    this.alarmLevel = level;
  }

  read(): Record<string, number> {
    const [lo, hi] = this.band;
    const mid = (lo + hi) / 2;
    // Half the band's half-width at 3 sigma: the pressure stays well inside its band.
    const pressure = mid + this.pressureAnomaly * (hi - lo) * 0.5 + this.rnd.gauss() * (hi - lo) * 0.004;
    return {
      ch4_lel_pct: round(clamp(this.lel, 0, 100), 2),
      pressure_kpa: round(clamp(pressure, lo + (hi - lo) * 0.1, hi - (hi - lo) * 0.1), 3),
      co_ppm: round(this.household ? Math.abs(this.rnd.gauss() * 1.5) : Math.abs(this.rnd.gauss() * 0.4), 1),
      valve_open: 1,
    };
  }

  drainEvents(): SimEvent[] {
    return this.events.splice(0);
  }

  reportIntervalS(): number {
    return this.lel > 5 ? ALARM_INTERVAL_S : NOMINAL_INTERVAL_S.gas_point;
  }
}

/** An e-bike charging shed: evening charging load; the shed warms with the current. */
export class EbikeShed implements DeviceModel {
  private current = 0;
  private temp: number | null = null;
  private readonly bays: number;

  constructor(readonly site: SimSite, private readonly rnd: Random) {
    this.bays = Math.round(rnd.between(24, 48));
  }

  advance(ms: number, dtS: number, env: ModelEnv): void {
    const h = districtHour(ms);
    // Riders plug in after work; most packs are full by early morning.
    const share = h >= 18 ? 0.25 + 0.6 * Math.min(1, (h - 18) / 3) : h < 5 ? 0.85 - 0.15 * h : h < 8 ? 0.1 : 0.05 + 0.1 * Math.max(0, (h - 12) / 6);
    const target = this.bays * share * 1.8 * (1 + this.rnd.gauss() * 0.05);
    this.current += (target - this.current) * (1 - Math.exp(-dtS / 600));
    const ambient = env.weather.tempC;
    const equilibrium = ambient + 0.12 * this.current;
    this.temp = this.temp === null ? equilibrium : this.temp + (equilibrium - this.temp) * (1 - Math.exp(-dtS / 1200));
  }

  read(): Record<string, number> {
    return {
      temp_c: round(clamp((this.temp ?? 15) + this.rnd.gauss() * 0.2, -40, 150), 1),
      smoke: 0,
      current_a: round(Math.max(0, this.current + this.rnd.gauss() * 0.5), 1),
    };
  }

  drainEvents(): SimEvent[] {
    return [];
  }

  reportIntervalS(): number {
    return NOMINAL_INTERVAL_S.ebike_charging;
  }
}
