import { clamp, dayOfYear, daily, districtHour } from './clock.js';
import type { Random } from './random.js';

/** The district's weather at one instant; every model reads the same one. */
export interface WeatherNow {
  tempC: number;
  humidityPct: number;
  windMs: number;
  windDirDeg: number;
  /** Rain intensity, mm/h. */
  rainMmH: number;
  /** 0–1: how strongly a night-time inversion traps pollution near the ground. */
  inversion: number;
  /** 0–1: sunshine driving ozone. */
  sun: number;
  /** Sea water temperature, °C. */
  seaTempC: number;
}

/** What a scenario forces on the weather (undefined: leave it). */
export interface WeatherOverride {
  rainMmH?: number;
  windMs?: number;
  inversionBoost?: number;
}

/** Seasonal mean air temperature of Dalian: about −4 °C in January, 25 °C in August. */
export function seasonalTempC(ms: number): number {
  return 10.5 - 14.5 * Math.cos(((dayOfYear(ms) - 20) / 365) * 2 * Math.PI);
}

/**
 * A stochastic weather process: seasonal and daily temperature cycles, autocorrelated
 * wind (stronger north-westerlies in winter, a sea breeze on summer afternoons), rain spells
 * (more and heavier in summer), night-time inversions in calm weather.
 */
export class Weather {
  private windAnomaly = 0;
  private tempAnomaly = 0;
  private rainLeftH = 0;
  private rainRate = 0;
  private lastMs: number;
  private now: WeatherNow;

  constructor(private readonly rnd: Random, startMs: number) {
    this.lastMs = startMs;
    this.now = this.compute(startMs, {});
  }

  get current(): WeatherNow {
    return this.now;
  }

  step(ms: number, override: WeatherOverride = {}): WeatherNow {
    const dtH = Math.max(0, (ms - this.lastMs) / 3_600_000);
    this.lastMs = ms;
    if (dtH > 0) {
      // Ornstein–Uhlenbeck anomalies: correlation times of ~6 h (wind) and ~24 h (temperature).
      const decayW = Math.exp(-dtH / 6);
      const decayT = Math.exp(-dtH / 24);
      this.windAnomaly = this.windAnomaly * decayW + Math.sqrt(1 - decayW ** 2) * this.rnd.gauss() * 1.6;
      this.tempAnomaly = this.tempAnomaly * decayT + Math.sqrt(1 - decayT ** 2) * this.rnd.gauss() * 2.5;
      if (this.rainLeftH > 0) {
        this.rainLeftH -= dtH;
      } else {
        const summer = 0.5 + 0.5 * Math.cos(((dayOfYear(ms) - 200) / 365) * 2 * Math.PI);
        const startsPerHour = 0.004 + 0.02 * summer;
        if (this.rnd.next() < 1 - Math.exp(-startsPerHour * dtH)) {
          this.rainLeftH = this.rnd.between(1, 8);
          this.rainRate = this.rnd.between(0.5, 3 + 9 * summer);
        }
      }
    }
    this.now = this.compute(ms, override);
    return this.now;
  }

  private compute(ms: number, o: WeatherOverride): WeatherNow {
    const doy = dayOfYear(ms);
    const winter = 0.5 + 0.5 * Math.cos(((doy - 15) / 365) * 2 * Math.PI); // 1 in January, 0 in July
    const hour = districtHour(ms);
    const rain = o.rainMmH ?? (this.rainLeftH > 0 ? this.rainRate : 0);
    const seaBreeze = (1 - winter) * 1.5 * Math.max(0, daily(ms, 15));
    const wind = o.windMs ?? clamp(3.2 + 2.2 * winter + seaBreeze + this.windAnomaly + (rain > 0 ? 1.5 : 0), 0.2, 40);
    const tempC = seasonalTempC(ms) + 3.5 * daily(ms, 14.5) + this.tempAnomaly - (rain > 0 ? 2 : 0);
    const night = hour < 7 || hour > 19 ? 1 : hour < 9 || hour > 17 ? 0.4 : 0;
    const inversion = clamp(night * clamp(1 - wind / 6, 0, 1) * (0.6 + 0.4 * winter) + (o.inversionBoost ?? 0), 0, 1);
    const daylight = Math.max(0, Math.sin(((hour - 5.5) / 13.5) * Math.PI)) * (hour > 5.5 && hour < 19 ? 1 : 0);
    const sun = daylight * (1 - 0.5 * winter) * (rain > 0 ? 0.2 : 1);
    const humidity = clamp(62 + 14 * (1 - winter) - 12 * daily(ms, 14.5) + (rain > 0 ? 30 : 0), 15, 100);
    const windDir = ((winter > 0.5 ? 335 : 165) + 25 * Math.sin(this.windAnomaly) + 360) % 360;
    const seaTempC = 12 - 10 * Math.cos(((doy - 45) / 365) * 2 * Math.PI); // lags the air: 2 °C in Feb, 22 °C in Aug
    return { tempC, humidityPct: humidity, windMs: wind, windDirDeg: windDir, rainMmH: rain, inversion, sun, seaTempC };
  }
}
