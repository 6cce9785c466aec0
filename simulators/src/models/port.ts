import { beaufort, NOMINAL_INTERVAL_S } from '@tidewatch/contracts';
import { clamp, districtHour, weekday } from '../clock.js';
import type { Random } from '../random.js';
import { round, type DeviceModel, type ModelEnv, type SimEvent, type SimSite } from './model.js';

/** Inspection items (certificates, crew insurance, officers, life-saving and fire-fighting gear, radio, BeiDou, AIS). */
export const HAZARDS = ['certificates', 'crew_insurance', 'certified_officers', 'lifejackets', 'fire_extinguishers', 'radio', 'beidou_terminal', 'ais'] as const;
const INSPECTIONS_PER_HOUR = 1.5;
const FAIL_SHARE = 0.15;

interface Vessel {
  name: string;
  atSea: boolean;
  returnAtMs: number;
}

interface OpenHazard {
  vessel: string;
  hazard: string;
  dueMs: number;
}

/** The summer fishing moratorium of the Yellow and Bohai Seas: 1 May to 1 September. */
function moratorium(ms: number): boolean {
  const month = new Date(ms + 8 * 3_600_000).getUTCMonth();
  return month >= 4 && month <= 7;
}

/**
 * A fishing port under resident supervision: every registered vessel is either in port or
 * at sea (the two counts always add up). Vessels leave in the morning when the wind allows
 * and come back in the afternoon, early when the wind rises past their limit; inspectors
 * check vessels in working hours, and failed items are rectified days later.
 */
export class FishingPort implements DeviceModel {
  private readonly vessels: Vessel[];
  private readonly windLimit: number;
  private readonly open: OpenHazard[] = [];
  private readonly events: SimEvent[] = [];
  private wind = 0;
  private forcedOut = false;

  constructor(readonly site: SimSite, private readonly rnd: Random) {
    const n = Math.max(1, Number(site.params?.registered_vessels ?? 50));
    this.windLimit = Number(site.params?.small_vessel_wind_limit ?? 6);
    const base = Math.floor(rnd.between(10_000, 90_000));
    this.vessels = Array.from({ length: n }, (_, i) => ({ name: `辽大甘渔${String(base + i * 7).padStart(5, '0')}`, atSea: false, returnAtMs: 0 }));
  }

  get atSea(): number {
    return this.vessels.filter((v) => v.atSea).length;
  }

  advance(ms: number, dtS: number, env: ModelEnv): void {
    this.wind = env.weather.windMs * 1.1; // the harbour mouth is exposed
    const force = beaufort(this.wind);
    const h = districtHour(ms);
    const dtH = dtS / 3600;

    if (env.effects.vesselsOutShare !== null && !this.forcedOut) {
      this.forcedOut = true;
      const want = Math.ceil(this.vessels.length * env.effects.vesselsOutShare);
      for (const v of this.vessels.filter((x) => !x.atSea).slice(0, Math.max(0, want - this.atSea))) this.depart(v, ms, ms + 8 * 3_600_000);
    }

    for (const v of this.vessels) {
      if (v.atSea) {
        // In rising wind vessels head back at once (an hour or two of transit); else at their planned time.
        const hurry = force >= this.windLimit ? 0.8 * dtH : 0;
        if (ms >= v.returnAtMs || this.rnd.next() < hurry) this.arrive(v, ms);
      } else if (h >= 4.5 && h < 9 && force < this.windLimit - 1) {
        const share = moratorium(ms) ? 0.08 : 0.75;
        // Spread departures over the 4.5 h morning window.
        if (this.rnd.next() < (share / 4.5) * dtH) {
          const back = ms + (13 - h + this.rnd.between(0, 5)) * 3_600_000;
          this.depart(v, ms, back);
        }
      }
    }
    this.inspect(ms, dtH, h);
    while (this.open.length > 0 && this.open[0]!.dueMs <= ms) {
      const fix = this.open.shift()!;
      this.events.push({ ts: ms, type: 'rectified', data: { vessel: fix.vessel, hazard: fix.hazard } });
    }
  }

  private depart(v: Vessel, ms: number, returnAtMs: number): void {
    v.atSea = true;
    v.returnAtMs = returnAtMs;
    this.events.push({ ts: ms, type: 'departure', data: { vessel: v.name } });
  }

  private arrive(v: Vessel, ms: number): void {
    v.atSea = false;
    this.events.push({ ts: ms, type: 'arrival', data: { vessel: v.name } });
  }

  private inspect(ms: number, dtH: number, h: number): void {
    const day = weekday(ms);
    const working = day >= 1 && day <= 5 && ((h >= 8.5 && h < 11.5) || (h >= 13.5 && h < 17));
    if (!working || this.rnd.next() >= INSPECTIONS_PER_HOUR * dtH) return;
    const inPort = this.vessels.filter((v) => !v.atSea);
    if (inPort.length === 0) return;
    const v = inPort[Math.floor(this.rnd.next() * inPort.length)]!;
    const fail = this.rnd.next() < FAIL_SHARE;
    const hazards: string[] = [];
    if (fail) {
      const count = this.rnd.next() < 0.7 ? 1 : 2;
      while (hazards.length < count) {
        const hz = HAZARDS[Math.floor(this.rnd.next() * HAZARDS.length)]!;
        if (!hazards.includes(hz)) hazards.push(hz);
      }
      for (const hazard of hazards) {
        this.open.push({ vessel: v.name, hazard, dueMs: ms + this.rnd.between(1, 6) * 86_400_000 });
      }
      this.open.sort((a, b) => a.dueMs - b.dueMs);
    }
    this.events.push({ ts: ms, type: 'inspection', data: { vessel: v.name, result: fail ? 'fail' : 'pass', hazards, inspector: `${this.site.id}-inspector-${1 + Math.floor(this.rnd.next() * 3)}` } });
  }

  read(): Record<string, number> {
    const atSea = this.atSea;
    return {
      wind_level: beaufort(this.wind),
      wave_height_m: round(clamp(0.15 + 0.018 * this.wind ** 2 + this.rnd.gauss() * 0.05, 0, 19), 2),
      vessels_in_port: this.vessels.length - atSea,
      vessels_at_sea: atSea,
    };
  }

  drainEvents(): SimEvent[] {
    return this.events.splice(0);
  }

  reportIntervalS(): number {
    return NOMINAL_INTERVAL_S.fishing_port;
  }
}
