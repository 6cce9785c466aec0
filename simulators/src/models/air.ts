import { NOMINAL_INTERVAL_S } from '@tidewatch/contracts';
import { bump, clamp, heatingSeason } from '../clock.js';
import type { Random } from '../random.js';
import { round, type DeviceModel, type ModelEnv, type SimEvent, type SimSite } from './model.js';

/**
 * The district's shared air-pollution background: a slowly varying regional level, so that
 * nearby stations move together (correlated), plus what the weather does to it.
 */
export class RegionalAir {
  private anomaly = 0;
  private lastMs: number;

  constructor(private readonly rnd: Random, startMs: number) {
    this.lastMs = startMs;
  }

  advance(ms: number): void {
    const dtH = Math.max(0, (ms - this.lastMs) / 3_600_000);
    this.lastMs = ms;
    if (dtH === 0) return;
    const decay = Math.exp(-dtH / 18);
    this.anomaly = this.anomaly * decay + Math.sqrt(1 - decay ** 2) * this.rnd.gauss() * 0.25;
  }

  /** Regional PM2.5 background, µg/m³, before local effects. */
  pm25Background(ms: number, env: ModelEnv): number {
    const heating = heatingSeason(ms) ? 1.6 : 1;
    const w = env.weather;
    const dilution = 1 / (1 + w.windMs / 5);
    const washout = w.rainMmH > 0 ? 0.5 : 1;
    return 38 * heating * Math.exp(this.anomaly) * (0.55 + 0.9 * w.inversion) * (0.5 + dilution) * washout * env.effects.pmFactor;
  }
}

export class AirStation implements DeviceModel {
  /** Local source strength: near roads and industry a station reads higher. */
  private readonly local: number;
  private readonly traffic: number;
  private noise = { pm: 0, no2: 0 };

  constructor(readonly site: SimSite, private readonly rnd: Random, private readonly region: RegionalAir) {
    this.local = rnd.between(0.85, 1.2);
    this.traffic = rnd.between(0.8, 1.3);
  }

  advance(_ms: number, dtS: number): void {
    const decay = Math.exp(-dtS / 900);
    const k = Math.sqrt(1 - decay ** 2);
    this.noise.pm = this.noise.pm * decay + k * this.rnd.gauss() * 0.08;
    this.noise.no2 = this.noise.no2 * decay + k * this.rnd.gauss() * 0.1;
  }

  read(ms: number, env: ModelEnv): Record<string, number> {
    const w = env.weather;
    const rush = Math.max(bump(ms, 8, 1.3), bump(ms, 18, 1.5));
    const dilution = 1 / (1 + w.windMs / 4);
    const heating = heatingSeason(ms);
    const pm25 = this.region.pm25Background(ms, env) * this.local * Math.exp(this.noise.pm);
    const coarse = 1.45 + 0.4 * clamp(w.windMs / 10, 0, 1) - (w.rainMmH > 0 ? 0.3 : 0);
    const no2 = (14 + 38 * rush * this.traffic) * (0.6 + 0.8 * dilution) * (1 + 0.5 * w.inversion) * Math.exp(this.noise.no2);
    const so2 = (heating ? 16 : 6) * (0.7 + 0.8 * w.inversion) * this.local;
    const co = ((heating ? 0.8 : 0.45) + 0.5 * rush * this.traffic) * (0.7 + 0.6 * w.inversion);
    // Ozone forms in sunshine and warmth, and is titrated away by fresh NO near roads.
    const o3 = clamp(25 + 150 * w.sun * clamp((w.tempC + 5) / 30, 0.2, 1.3) - 0.35 * no2 * rush, 5, 400);
    const n = (sd: number): number => 1 + this.rnd.gauss() * sd;
    return {
      pm25: round(clamp(pm25 * n(0.03), 1, 1200), 1),
      pm10: round(clamp(pm25 * coarse * n(0.04), 2, 2500), 1),
      so2: round(clamp(so2 * n(0.05), 1, 2000), 1),
      no2: round(clamp(no2 * n(0.03), 2, 2000), 1),
      co: round(clamp(co * n(0.04), 0.1, 50), 2),
      o3: round(clamp(o3 * n(0.03), 1, 1000), 1),
      temp_c: round(w.tempC + this.rnd.gauss() * 0.2, 1),
      humidity_pct: round(clamp(w.humidityPct + this.rnd.gauss() * 1.5, 0, 100), 1),
      wind_speed_ms: round(clamp(w.windMs * n(0.08), 0, 60), 1),
      wind_dir_deg: round((w.windDirDeg + this.rnd.gauss() * 8 + 360) % 360, 0),
    };
  }

  drainEvents(): SimEvent[] {
    return [];
  }

  reportIntervalS(): number {
    return NOMINAL_INTERVAL_S.air;
  }
}
